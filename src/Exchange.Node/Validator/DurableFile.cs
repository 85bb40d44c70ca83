using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Exchange.Node.Validator;

/// <summary>
/// Writes that survive a crash or a power cut. Replacing a file: write a temporary file beside it, fsync it,
/// rename it over the target (atomic on POSIX file systems), then fsync the directory so the rename itself is
/// on disk. A reader therefore sees the old contents or the new, never a mix, and once the call returns the new
/// contents are what a restart reads.
/// </summary>
internal static partial class DurableFile
{
    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="contents"/>, durably.</summary>
    public static void Replace(string path, ReadOnlySpan<byte> contents)
    {
        var temp = TempPathOf(path);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            stream.Write(contents);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        SyncDirectoryOf(path);
    }

    /// <summary>The temporary file <see cref="Replace"/> writes first; left behind only by a crash before the rename.</summary>
    public static string TempPathOf(string path) => path + ".tmp";

    /// <summary>fsyncs the directory holding <paramref name="path"/>, so a rename or create in it is durable.</summary>
    public static void SyncDirectoryOf(string path)
    {
        if (OperatingSystem.IsWindows()) return;    // NTFS journals renames; there is no directory handle to sync
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? throw new IOException($"{path} has no directory");
        var fd = Open(directory, ReadOnly);
        if (fd < 0) throw new IOException($"cannot open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Makes the data written through <paramref name="handle"/> durable: fdatasync on Linux, which skips the
    /// modification time an in-place overwrite changes (the file's size still goes to disk when it grew), and the
    /// platform's full flush elsewhere.
    /// </summary>
    public static void SyncData(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(handle);
            return;
        }
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (FdataSync((int)handle.DangerousGetHandle()) != 0)
                throw new IOException($"fdatasync failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private const int ReadOnly = 0;     // O_RDONLY

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FdataSync(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
