using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace LstmService.Kernels;

/// <summary>Which code path the kernels take on this process (depends on the CPU and on DOTNET_Enable* settings).</summary>
public static class KernelInfo
{
    /// <summary>"scalar" when Vector&lt;float&gt; is not hardware accelerated, otherwise "vector{bits}" plus "+fma" when fused multiply-add is native.</summary>
    public static string ActivePath
    {
        get
        {
            if (!Vector.IsHardwareAccelerated) return "scalar";
            var bits = Vector<float>.Count * 32;
            return FmaIsNative ? $"vector{bits}+fma" : $"vector{bits}";
        }
    }

    /// <summary>True when the vector paths run (otherwise every routine uses its scalar reference).</summary>
    public static bool VectorPath => Vector.IsHardwareAccelerated;

    /// <summary>True when Vector.FusedMultiplyAdd compiles to one instruction (otherwise it is emulated exactly, and slowly).</summary>
    public static bool FmaIsNative => Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;

    /// <summary>Columns per packed GEMM panel: two vectors wide.</summary>
    public static int PanelWidth => 2 * Vector<float>.Count;
}
