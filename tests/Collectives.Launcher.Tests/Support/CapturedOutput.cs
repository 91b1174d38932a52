using System.Text;

namespace Collectives.Launcher.Tests.Support;

/// <summary>A text writer tests can read while collrun is still writing to it, and wait on.</summary>
internal sealed class CapturedOutput : TextWriter
{
    private readonly Lock _lock = new();
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }

    public string[] Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override void Write(char value)
    {
        lock (_lock)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            _text.Append(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_lock)
        {
            _text.Append(value).Append('\n');
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the text so far; false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitUntilAsync(Func<string, bool> condition, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition(Text))
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition(Text);
    }
}
