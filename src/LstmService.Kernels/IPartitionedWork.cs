namespace LstmService.Kernels;

/// <summary>Work split into contiguous parts; <see cref="Execute"/> runs once per part, on different threads.</summary>
public interface IPartitionedWork
{
    void Execute(int part, int parts);
}
