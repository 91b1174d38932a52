using Spectre.Console;

namespace Collectives.CollBench;

/// <summary>Chooses how Spectre.Console renders, before anything is printed.</summary>
internal static class ConsoleSetup
{
    /// <summary>
    /// Under collrun (or any pipe) rank output is captured and prefixed per line, where colour
    /// codes and live redraws would end up as raw escape sequences in logs; so a redirected
    /// output gets plain text and no interactivity. A terminal keeps Spectre's detection.
    /// </summary>
    public static void ForCurrentOutput()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
        }
    }

    /// <summary>Whether a live progress display can be drawn.</summary>
    public static bool IsInteractive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
}
