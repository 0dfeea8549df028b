using System.Numerics;
using System.Runtime.Intrinsics.X86;
using Xunit.Abstractions;

namespace LstmService.Kernels.Tests;

/// <summary>
/// Which kernel path runs, given the DOTNET_* settings the CI passes: the CI runs must really exercise different
/// paths (256-bit + FMA, 512-bit + FMA where the CPU has AVX-512, 128-bit, scalar).
/// </summary>
public class PathTests(ITestOutputHelper output)
{
    /// <summary>True when DOTNET_{name} (or the legacy COMPlus_{name}) is set to 0.</summary>
    static bool Disabled(string name)
    {
        foreach (var prefix in new[] { "DOTNET_", "COMPlus_" })
        {
            var value = Environment.GetEnvironmentVariable(prefix + name);
            if (value is not null && value.Trim() == "0") return true;
        }
        return false;
    }

    static bool IsSet(string name) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_" + name)) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("COMPlus_" + name));

    [Fact]
    public void ActivePathMatchesEnvironment()
    {
        output.WriteLine($"ActivePath = {KernelInfo.ActivePath}, Vector<float>.Count = {Vector<float>.Count}, " +
            $"IsHardwareAccelerated = {Vector.IsHardwareAccelerated}, Avx2 = {Avx2.IsSupported}, Fma = {Fma.IsSupported}, Avx512F = {Avx512F.IsSupported}");
        Assert.Equal(Vector.IsHardwareAccelerated, KernelInfo.VectorPath);
        Assert.Equal(2 * Vector<float>.Count, KernelInfo.PanelWidth);

        if (Disabled("EnableHWIntrinsic"))
        {
            output.WriteLine("DOTNET_EnableHWIntrinsic=0: expecting the scalar path.");
            Assert.False(Vector.IsHardwareAccelerated);
            Assert.Equal("scalar", KernelInfo.ActivePath);
            return;
        }
        if (Disabled("EnableAVX2"))
        {
            output.WriteLine("DOTNET_EnableAVX2=0: expecting the 128-bit vector path.");
            Assert.True(Vector.IsHardwareAccelerated);
            Assert.False(Avx2.IsSupported);
            Assert.Equal(4, Vector<float>.Count);
            Assert.StartsWith("vector128", KernelInfo.ActivePath);
            return;
        }
        if (Environment.GetEnvironmentVariable("DOTNET_MaxVectorTBitWidth") == "512" && Avx512F.IsSupported
            && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && !IsSet("PreferredVectorBitWidth"))
        {
            // The benchmark's and the container's setting on AVX-512 hardware: Vector<float> doubles to 16 lanes.
            output.WriteLine("DOTNET_MaxVectorTBitWidth=512 on AVX-512 hardware: expecting the 512-bit vector path.");
            Assert.Equal(16, Vector<float>.Count);
            Assert.Equal("vector512+fma", KernelInfo.ActivePath);
            return;
        }
        if (!Avx2.IsSupported || !Fma.IsSupported || IsSet("MaxVectorTBitWidth") || IsSet("PreferredVectorBitWidth"))
        {
            // Not an AVX2 + FMA machine (or another Vector<T> width override): only check consistency.
            output.WriteLine("No AVX2 + FMA (or a vector width override): checking ActivePath consistency only.");
            var expected = !Vector.IsHardwareAccelerated ? "scalar"
                : $"vector{Vector<float>.Count * 32}" + (KernelInfo.FmaIsNative ? "+fma" : "");
            Assert.Equal(expected, KernelInfo.ActivePath);
            return;
        }
        // Without a width setting Vector<float> stays 256 bits even on AVX-512 hardware.
        Assert.True(Vector.IsHardwareAccelerated);
        Assert.Equal(8, Vector<float>.Count);
        Assert.True(KernelInfo.FmaIsNative);
        Assert.Equal("vector256+fma", KernelInfo.ActivePath);
    }
}
