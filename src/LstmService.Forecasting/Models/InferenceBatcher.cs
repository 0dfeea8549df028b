namespace LstmService.Forecasting.Models;

/// <summary>
/// Combines concurrent small inference calls into one batch (group commit): a call that arrives while a batch runs waits,
/// and when that batch ends the calls that waited run together as the next one, led by the first of them. A lone call runs
/// at once, so nothing waits when the load is light; under load one network pass serves many requests, which costs far
/// less than a pass per request with the small GEMMs of a one-row batch. Rows are independent in the kernels, so a row's
/// outputs are the same bits whichever batch it runs in.
/// </summary>
internal sealed class InferenceBatcher(int rowLength, int outputLength, Action<float[], int, float[]> run)
{
    /// <summary>Rows a combined batch holds at most; a call that would overflow the next batch runs on its own.</summary>
    internal const int MaxRows = 256;

    readonly Lock _gate = new();
    List<Call> _waiting = [];
    int _waitingRows;
    bool _busy;

    /// <summary>Calls waiting for the next batch (for tests).</summary>
    internal int Waiting { get { lock (_gate) return _waiting.Count; } }

    sealed class Call(float[] x, int rows)
    {
        public readonly float[] X = x;
        public readonly int Rows = rows;
        public float[]? Output;
        public Exception? Error;
        public List<Call>? Lead; // set when this call is woken to run the batch it heads
        public readonly ManualResetEventSlim Done = new(false);
    }

    /// <summary>Runs <paramref name="rows"/> rows of <paramref name="x"/> (<c>rows × rowLength</c>) into <paramref name="output"/> (<c>rows × outputLength</c>).</summary>
    public void Run(ReadOnlySpan<float> x, int rows, Span<float> output)
    {
        var call = new Call(x[..(rows * rowLength)].ToArray(), rows);
        bool lead = false, alone = false;
        lock (_gate)
        {
            if (!_busy) _busy = lead = true;
            else if (_waitingRows + rows <= MaxRows) { _waiting.Add(call); _waitingRows += rows; }
            else alone = true;
        }
        if (alone)
        {
            var own = new float[rows * outputLength];
            run(call.X, rows, own);
            own.CopyTo(output);
            return;
        }
        if (lead) Execute([call]);
        else
        {
            call.Done.Wait();
            if (call.Lead is { } batch) Execute(batch);
        }
        call.Done.Dispose();
        if (call.Error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(call.Error);
        call.Output!.CopyTo(output);
    }

    /// <summary>Runs one batch and hands each call its rows; passes the lead to the calls that waited meanwhile, or frees the batcher.</summary>
    void Execute(List<Call> batch)
    {
        try
        {
            int total = 0;
            foreach (var c in batch) total += c.Rows;
            var x = batch.Count == 1 ? batch[0].X : new float[total * rowLength];
            if (batch.Count > 1)
            {
                int offset = 0;
                foreach (var c in batch) { c.X.CopyTo(x, offset * rowLength); offset += c.Rows; }
            }
            var output = new float[total * outputLength];
            run(x, total, output);
            int at = 0;
            foreach (var c in batch)
            {
                c.Output = output.AsSpan(at * outputLength, c.Rows * outputLength).ToArray();
                at += c.Rows;
            }
        }
        catch (Exception e)
        {
            foreach (var c in batch) c.Error = e;
        }
        List<Call>? next = null;
        lock (_gate)
        {
            if (_waiting.Count == 0) _busy = false;
            else
            {
                next = _waiting;
                _waiting = [];
                _waitingRows = 0;
            }
        }
        if (next is not null)
        {
            next[0].Lead = next;
            next[0].Done.Set();
        }
        foreach (var c in batch)
            if (c.Lead is null) c.Done.Set(); // a woken leader is this thread
    }
}
