using System.Numerics;
using System.Runtime.CompilerServices;

namespace LstmService.Kernels;

// Gemm's register tiles: the innermost loops that keep a block of C in registers while a slice of A and of the packed B
// stream past, one FMA chain per element of C.
public static partial class Gemm
{
    /// <summary>One row of C over panels [first, panels): four panels per pass (eight FMA chains hide the latency), then single panels.</summary>
    static void RowPanels(ref float ai, int csA, ref float b0, int k, int pc, int kc, int n, int first, ref float ci, ref float e0, bool load)
    {
        int nr = NR, panels = PanelCount(n), fullPanels = n / nr, p = first;
        for (; p + 4 <= fullPanels; p += 4)
            Row4Panels(kc, ref ai, csA, ref Unsafe.Add(ref b0, (nint)p * k * nr + (nint)pc * nr), (nint)k * nr, ref Unsafe.Add(ref ci, p * nr), load);
        for (; p < panels; p++)
        {
            int j0 = p * nr, w = Math.Min(nr, n - j0);
            ref float bp = ref Unsafe.Add(ref b0, (nint)p * k * nr + (nint)pc * nr);
            ref float cj = ref Unsafe.Add(ref ci, j0);
            if (w == nr)
            {
                Row1Panel(kc, ref ai, csA, ref bp, ref cj, load);
            }
            else
            {
                CopyTile(ref cj, 0, ref e0, nr, 1, w, load);
                Row1Panel(kc, ref ai, csA, ref bp, ref e0, load);
                CopyTile(ref e0, nr, ref cj, 0, 1, w, true);
            }
        }
    }

    static void CopyTile(ref float src, int lds, ref float dst, int ldd, int rows, int cols, bool copy)
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++)
                Unsafe.Add(ref dst, (nint)r * ldd + j) = copy ? Unsafe.Add(ref src, (nint)r * lds + j) : 0f;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void Tile6(int kc, ref float a, int rsA, int csA, ref float b, ref float c, int ldc, bool load)
    {
        int vw = Vector<float>.Count;
        nint nr = 2 * vw;
        nint r1 = rsA, r2 = 2 * (nint)rsA, r3 = 3 * (nint)rsA, r4 = 4 * (nint)rsA, r5 = 5 * (nint)rsA;
        nint l1 = ldc, l2 = 2 * (nint)ldc, l3 = 3 * (nint)ldc, l4 = 4 * (nint)ldc, l5 = 5 * (nint)ldc;
        Vector<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load)
        {
            c00 = Vector.LoadUnsafe(ref c); c01 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, vw));
            c10 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l1)); c11 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l1 + vw));
            c20 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l2)); c21 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l2 + vw));
            c30 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l3)); c31 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l3 + vw));
            c40 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l4)); c41 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l4 + vw));
            c50 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l5)); c51 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l5 + vw));
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = Vector<float>.Zero;
        }
        nint cs = csA;
        for (int kk = 0; kk < kc; kk++)
        {
            var b0 = Vector.LoadUnsafe(ref b);
            var b1 = Vector.LoadUnsafe(ref Unsafe.Add(ref b, vw));
            var x = new Vector<float>(a); c00 = Vector.FusedMultiplyAdd(x, b0, c00); c01 = Vector.FusedMultiplyAdd(x, b1, c01);
            x = new Vector<float>(Unsafe.Add(ref a, r1)); c10 = Vector.FusedMultiplyAdd(x, b0, c10); c11 = Vector.FusedMultiplyAdd(x, b1, c11);
            x = new Vector<float>(Unsafe.Add(ref a, r2)); c20 = Vector.FusedMultiplyAdd(x, b0, c20); c21 = Vector.FusedMultiplyAdd(x, b1, c21);
            x = new Vector<float>(Unsafe.Add(ref a, r3)); c30 = Vector.FusedMultiplyAdd(x, b0, c30); c31 = Vector.FusedMultiplyAdd(x, b1, c31);
            x = new Vector<float>(Unsafe.Add(ref a, r4)); c40 = Vector.FusedMultiplyAdd(x, b0, c40); c41 = Vector.FusedMultiplyAdd(x, b1, c41);
            x = new Vector<float>(Unsafe.Add(ref a, r5)); c50 = Vector.FusedMultiplyAdd(x, b0, c50); c51 = Vector.FusedMultiplyAdd(x, b1, c51);
            a = ref Unsafe.Add(ref a, cs);
            b = ref Unsafe.Add(ref b, nr);
        }
        c00.StoreUnsafe(ref c); c01.StoreUnsafe(ref Unsafe.Add(ref c, vw));
        c10.StoreUnsafe(ref Unsafe.Add(ref c, l1)); c11.StoreUnsafe(ref Unsafe.Add(ref c, l1 + vw));
        c20.StoreUnsafe(ref Unsafe.Add(ref c, l2)); c21.StoreUnsafe(ref Unsafe.Add(ref c, l2 + vw));
        c30.StoreUnsafe(ref Unsafe.Add(ref c, l3)); c31.StoreUnsafe(ref Unsafe.Add(ref c, l3 + vw));
        c40.StoreUnsafe(ref Unsafe.Add(ref c, l4)); c41.StoreUnsafe(ref Unsafe.Add(ref c, l4 + vw));
        c50.StoreUnsafe(ref Unsafe.Add(ref c, l5)); c51.StoreUnsafe(ref Unsafe.Add(ref c, l5 + vw));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void Tile3x2Panels(int kc, ref float a, int rsA, int csA, ref float b, nint panelStride, ref float c, int ldc, bool load)
    {
        int vw = Vector<float>.Count;
        nint nr = 2 * vw, r1 = rsA, r2 = 2 * (nint)rsA, l1 = ldc, l2 = 2 * (nint)ldc, s1 = panelStride;
        Vector<float> c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23;
        if (load)
        {
            c00 = Vector.LoadUnsafe(ref c); c01 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, vw));
            c02 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, 2 * vw)); c03 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, 3 * vw));
            c10 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l1)); c11 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l1 + vw));
            c12 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l1 + 2 * vw)); c13 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l1 + 3 * vw));
            c20 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l2)); c21 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l2 + vw));
            c22 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l2 + 2 * vw)); c23 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l2 + 3 * vw));
        }
        else
        {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = Vector<float>.Zero;
        }
        nint cs = csA;
        for (int kk = 0; kk < kc; kk++)
        {
            var b0 = Vector.LoadUnsafe(ref b); var b1 = Vector.LoadUnsafe(ref Unsafe.Add(ref b, vw));
            var b2 = Vector.LoadUnsafe(ref Unsafe.Add(ref b, s1)); var b3 = Vector.LoadUnsafe(ref Unsafe.Add(ref b, s1 + vw));
            var x = new Vector<float>(a);
            c00 = Vector.FusedMultiplyAdd(x, b0, c00); c01 = Vector.FusedMultiplyAdd(x, b1, c01); c02 = Vector.FusedMultiplyAdd(x, b2, c02); c03 = Vector.FusedMultiplyAdd(x, b3, c03);
            x = new Vector<float>(Unsafe.Add(ref a, r1));
            c10 = Vector.FusedMultiplyAdd(x, b0, c10); c11 = Vector.FusedMultiplyAdd(x, b1, c11); c12 = Vector.FusedMultiplyAdd(x, b2, c12); c13 = Vector.FusedMultiplyAdd(x, b3, c13);
            x = new Vector<float>(Unsafe.Add(ref a, r2));
            c20 = Vector.FusedMultiplyAdd(x, b0, c20); c21 = Vector.FusedMultiplyAdd(x, b1, c21); c22 = Vector.FusedMultiplyAdd(x, b2, c22); c23 = Vector.FusedMultiplyAdd(x, b3, c23);
            a = ref Unsafe.Add(ref a, cs);
            b = ref Unsafe.Add(ref b, nr);
        }
        c00.StoreUnsafe(ref c); c01.StoreUnsafe(ref Unsafe.Add(ref c, vw)); c02.StoreUnsafe(ref Unsafe.Add(ref c, 2 * vw)); c03.StoreUnsafe(ref Unsafe.Add(ref c, 3 * vw));
        c10.StoreUnsafe(ref Unsafe.Add(ref c, l1)); c11.StoreUnsafe(ref Unsafe.Add(ref c, l1 + vw)); c12.StoreUnsafe(ref Unsafe.Add(ref c, l1 + 2 * vw)); c13.StoreUnsafe(ref Unsafe.Add(ref c, l1 + 3 * vw));
        c20.StoreUnsafe(ref Unsafe.Add(ref c, l2)); c21.StoreUnsafe(ref Unsafe.Add(ref c, l2 + vw)); c22.StoreUnsafe(ref Unsafe.Add(ref c, l2 + 2 * vw)); c23.StoreUnsafe(ref Unsafe.Add(ref c, l2 + 3 * vw));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void Tile2x2Panels(int kc, ref float a, int rsA, int csA, ref float b, nint panelStride, ref float c, int ldc, bool load)
    {
        int vw = Vector<float>.Count;
        nint nr = 2 * vw, r1 = rsA, l1 = ldc, s1 = panelStride;
        Vector<float> c00, c01, c02, c03, c10, c11, c12, c13;
        if (load)
        {
            c00 = Vector.LoadUnsafe(ref c); c01 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, vw));
            c02 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, 2 * vw)); c03 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, 3 * vw));
            c10 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l1)); c11 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l1 + vw));
            c12 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l1 + 2 * vw)); c13 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, l1 + 3 * vw));
        }
        else
        {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = Vector<float>.Zero;
        }
        nint cs = csA;
        for (int kk = 0; kk < kc; kk++)
        {
            var b0 = Vector.LoadUnsafe(ref b); var b1 = Vector.LoadUnsafe(ref Unsafe.Add(ref b, vw));
            var b2 = Vector.LoadUnsafe(ref Unsafe.Add(ref b, s1)); var b3 = Vector.LoadUnsafe(ref Unsafe.Add(ref b, s1 + vw));
            var x = new Vector<float>(a);
            c00 = Vector.FusedMultiplyAdd(x, b0, c00); c01 = Vector.FusedMultiplyAdd(x, b1, c01); c02 = Vector.FusedMultiplyAdd(x, b2, c02); c03 = Vector.FusedMultiplyAdd(x, b3, c03);
            x = new Vector<float>(Unsafe.Add(ref a, r1));
            c10 = Vector.FusedMultiplyAdd(x, b0, c10); c11 = Vector.FusedMultiplyAdd(x, b1, c11); c12 = Vector.FusedMultiplyAdd(x, b2, c12); c13 = Vector.FusedMultiplyAdd(x, b3, c13);
            a = ref Unsafe.Add(ref a, cs);
            b = ref Unsafe.Add(ref b, nr);
        }
        c00.StoreUnsafe(ref c); c01.StoreUnsafe(ref Unsafe.Add(ref c, vw)); c02.StoreUnsafe(ref Unsafe.Add(ref c, 2 * vw)); c03.StoreUnsafe(ref Unsafe.Add(ref c, 3 * vw));
        c10.StoreUnsafe(ref Unsafe.Add(ref c, l1)); c11.StoreUnsafe(ref Unsafe.Add(ref c, l1 + vw)); c12.StoreUnsafe(ref Unsafe.Add(ref c, l1 + 2 * vw)); c13.StoreUnsafe(ref Unsafe.Add(ref c, l1 + 3 * vw));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void Row4Panels(int kc, ref float a, int csA, ref float b, nint panelStride, ref float c, bool load)
    {
        int vw = Vector<float>.Count;
        nint nr = 2 * vw;
        nint s1 = panelStride, s2 = 2 * panelStride, s3 = 3 * panelStride;
        Vector<float> c0, c1, c2, c3, c4, c5, c6, c7;
        if (load)
        {
            c0 = Vector.LoadUnsafe(ref c); c1 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, vw));
            c2 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, 2 * vw)); c3 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, 3 * vw));
            c4 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, 4 * vw)); c5 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, 5 * vw));
            c6 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, 6 * vw)); c7 = Vector.LoadUnsafe(ref Unsafe.Add(ref c, 7 * vw));
        }
        else
        {
            c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = Vector<float>.Zero;
        }
        nint cs = csA;
        for (int kk = 0; kk < kc; kk++)
        {
            var x = new Vector<float>(a);
            c0 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b), c0);
            c1 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref Unsafe.Add(ref b, vw)), c1);
            c2 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref Unsafe.Add(ref b, s1)), c2);
            c3 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref Unsafe.Add(ref b, s1 + vw)), c3);
            c4 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref Unsafe.Add(ref b, s2)), c4);
            c5 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref Unsafe.Add(ref b, s2 + vw)), c5);
            c6 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref Unsafe.Add(ref b, s3)), c6);
            c7 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref Unsafe.Add(ref b, s3 + vw)), c7);
            a = ref Unsafe.Add(ref a, cs);
            b = ref Unsafe.Add(ref b, nr);
        }
        c0.StoreUnsafe(ref c); c1.StoreUnsafe(ref Unsafe.Add(ref c, vw));
        c2.StoreUnsafe(ref Unsafe.Add(ref c, 2 * vw)); c3.StoreUnsafe(ref Unsafe.Add(ref c, 3 * vw));
        c4.StoreUnsafe(ref Unsafe.Add(ref c, 4 * vw)); c5.StoreUnsafe(ref Unsafe.Add(ref c, 5 * vw));
        c6.StoreUnsafe(ref Unsafe.Add(ref c, 6 * vw)); c7.StoreUnsafe(ref Unsafe.Add(ref c, 7 * vw));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void Row1Panel(int kc, ref float a, int csA, ref float b, ref float c, bool load)
    {
        int vw = Vector<float>.Count;
        nint nr = 2 * vw;
        var c0 = load ? Vector.LoadUnsafe(ref c) : Vector<float>.Zero;
        var c1 = load ? Vector.LoadUnsafe(ref Unsafe.Add(ref c, vw)) : Vector<float>.Zero;
        nint cs = csA;
        for (int kk = 0; kk < kc; kk++)
        {
            var x = new Vector<float>(a);
            c0 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b), c0);
            c1 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref Unsafe.Add(ref b, vw)), c1);
            a = ref Unsafe.Add(ref a, cs);
            b = ref Unsafe.Add(ref b, nr);
        }
        c0.StoreUnsafe(ref c); c1.StoreUnsafe(ref Unsafe.Add(ref c, vw));
    }
}
