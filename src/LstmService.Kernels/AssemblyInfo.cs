// Stack buffers in the kernels are always written before they are read; skipping their zeroing keeps the per-step GEMM calls cheap.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
