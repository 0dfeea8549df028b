using System.Runtime.InteropServices;

namespace LstmService.Registry;

/// <summary>
/// Flushes a directory's entries to disk (Unix: open the directory, fsync, close). A rename is durable only once its
/// directory is synced: without it a power loss after the version's row committed could leave the row and no weights file.
/// .NET has no API for this (a FileStream cannot open a directory), hence libc.
/// </summary>
public static class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY: enough to fsync a directory on Linux and macOS

    /// <summary>True when the directory was synced; false where that is not possible (Windows, whose NTFS journals renames, or an odd file system).</summary>
    public static bool Flush(string directory)
    {
        if (OperatingSystem.IsWindows()) return false;
        var fd = Open(directory, ReadOnly);
        if (fd < 0) return false;
        try
        {
            // Some file systems refuse fsync on a directory (EINVAL); the file itself was flushed before the rename.
            return Fsync(fd) == 0;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
