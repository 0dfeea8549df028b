namespace LstmService.Kernels;

/// <summary>One named tensor inside the flat parameter buffer, named and shaped as in a PyTorch state_dict.</summary>
public sealed record ParameterTensor(string Name, int Offset, int[] Shape)
{
    public int Length => Shape.Aggregate(1, (a, b) => checked(a * b));
}
