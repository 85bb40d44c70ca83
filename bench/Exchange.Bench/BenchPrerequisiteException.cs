namespace Exchange.Bench;

/// <summary>Something the benchmark needs from the machine is missing; the message says how to get it.</summary>
internal sealed class BenchPrerequisiteException(string message) : Exception(message);
