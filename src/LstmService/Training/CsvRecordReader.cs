using System.Text;

namespace LstmService.Training;

/// <summary>Reads records character by character: quoted fields may hold delimiters, quotes ("") and line breaks.</summary>
internal sealed class CsvRecordReader(TextReader reader, char delimiter, int firstLine)
{
    private readonly char[] _buffer = new char[16 * 1024];
    private int _position, _length;
    private int _line = firstLine;

    /// <summary>Line of a quoted field still open at the end of the file.</summary>
    public int? UnclosedQuoteLine { get; private set; }

    public async Task<(int Line, List<string> Fields)?> NextAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(cancellationToken)) return null;
        var start = _line;
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, fieldStarted = false;
        while (await FillAsync(cancellationToken))
        {
            var ch = _buffer[_position++];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (await FillAsync(cancellationToken) && _buffer[_position] == '"') { field.Append('"'); _position++; }
                    else quoted = false;
                }
                else
                {
                    // A line end inside quotes counts as outside them: "\r\n" once, a "\r" or "\n" alone once each.
                    if (ch == '\n' || (ch == '\r' && !(await FillAsync(cancellationToken) && _buffer[_position] == '\n'))) _line++;
                    field.Append(ch);
                }
                continue;
            }
            if (ch == '"' && !fieldStarted) { quoted = true; fieldStarted = true; field.Clear(); continue; }
            if (ch == delimiter) { fields.Add(field.ToString()); field.Clear(); fieldStarted = false; continue; }
            if (ch is '\r' or '\n')
            {
                // "\r\n" and a "\r" alone (classic Mac OS) end a record as "\n" does: a lone "\r" had been dropped, so
                // "11\r12" was read as 1112 and a file of "\r" lines had its header split but not its rows.
                if (ch == '\r' && await FillAsync(cancellationToken) && _buffer[_position] == '\n') _position++;
                _line++;
                fields.Add(field.ToString());
                return (start, fields);
            }
            if (ch is not (' ' or '\t')) fieldStarted = true;
            field.Append(ch);
        }
        if (quoted) UnclosedQuoteLine = start;
        fields.Add(field.ToString());
        return (start, fields);
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_position < _length) return true;
        _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
        _position = 0;
        return _length > 0;
    }
}
