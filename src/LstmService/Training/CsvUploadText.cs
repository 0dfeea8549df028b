using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace LstmService.Training;

/// <summary>The file part of a CSV upload opened as text: strictly decoded, and told apart from a spreadsheet's bytes.</summary>
public static class CsvUploadText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// A strict reader of the file part: UTF-16 or UTF-32 (either byte order) when a byte order mark says so, else UTF-8, each throwing
    /// on bytes it does not allow. StreamReader's own detection switches to a lenient decoder on a byte order mark, so a UTF-8
    /// file with a mark had its bad bytes replaced by U+FFFD. The mark is left in the text (as U+FEFF, which the CSV reader drops).
    /// </summary>
    /// <returns>The reader, and what the file is where its first bytes are a spreadsheet's (an Excel workbook's zip or
    /// compound file), else null.</returns>
    public static async Task<(StreamReader Reader, string? Workbook)> OpenAsync(Stream body, CancellationToken cancellationToken)
    {
        var pipe = PipeReader.Create(body, new StreamPipeReaderOptions(leaveOpen: true));
        var read = await pipe.ReadAsync(cancellationToken);
        while (read.Buffer.Length < 4 && !read.IsCompleted)
        {
            pipe.AdvanceTo(read.Buffer.Start, read.Buffer.End); // nothing taken yet: wait for the mark's four bytes
            read = await pipe.ReadAsync(cancellationToken);
        }
        var head = read.Buffer.Slice(0, Math.Min(4, read.Buffer.Length)).ToArray();
        pipe.AdvanceTo(read.Buffer.Start);
        // UTF-32's little-endian mark begins with UTF-16's, so it is tested first (read as UTF-16, its zero bytes were characters).
        Encoding encoding = head switch
        {
            [0xFF, 0xFE, 0x00, 0x00] => new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true),
            [0x00, 0x00, 0xFE, 0xFF] => new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true),
            [0xFF, 0xFE, ..] => StrictUtf16(bigEndian: false),
            [0xFE, 0xFF, ..] => StrictUtf16(bigEndian: true),
            _ => StrictUtf8,
        };
        string? workbook = head switch
        {
            [0x50, 0x4B, 0x03, 0x04] => "a zip archive, as an Excel workbook (.xlsx) or an OpenDocument spreadsheet (.ods) is",
            [0xD0, 0xCF, 0x11, 0xE0] => "an Excel 97-2003 workbook (.xls)",
            _ => null,
        };
        return (new StreamReader(pipe.AsStream(), encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: false), workbook);
    }

    private static UnicodeEncoding StrictUtf16(bool bigEndian) => new(bigEndian, byteOrderMark: false, throwOnInvalidBytes: true);
}
