using Exchange.Core.Risk;

namespace Exchange.Core.State;

public sealed partial class ExchangeState
{
    /// <summary>Recomputes every live instrument's mark at the block's time, before any transaction runs.</summary>
    private void RefreshMarks()
    {
        foreach (var listed in _instruments)
            if (!listed.Settled) listed.Mark = Marks.Compute(this, listed);
    }
}
