using System.CommandLine;

namespace Collectives.Launcher;

/// <summary>
/// Splits collrun's own options from the program's command line, mpirun-style: everything from
/// the first word that is not an option (or not the value of one), or after <c>--</c>, belongs to
/// the program. So <c>collrun -n 4 ./app -n 10</c> gives <c>-n 10</c> to the app, which a
/// plain parse would take for collrun's own <c>-n</c>.
/// </summary>
internal static class CommandLineSplitter
{
    /// <summary>
    /// Returns collrun's words, the program's words, and the words before the program that look
    /// like options but are none of collrun's (<c>--frobnicate</c>): usage errors, not the program.
    /// </summary>
    public static (string[] Launcher, string[] Program, string[] Unknown) Split(IReadOnlyList<string> args, IEnumerable<Option> options)
    {
        Option[] known = [.. options];
        List<string> unknown = [];
        for (int i = 0; i < args.Count; i++)
        {
            string token = args[i];
            if (token == "--")
            {
                return ([.. args.Take(i)], [.. args.Skip(i + 1)], [.. unknown]);
            }

            if (token.Length > 1 && token[0] == '-')
            {
                // "-n 4" takes the next word; "-n4", "--np=4" and flags do not, and a flag takes
                // only an explicit true/false (as System.CommandLine reads "--flag false").
                Option? option = known.FirstOrDefault(o => Names(o).Contains(token));
                if (option is not null && option.Arity.MaximumNumberOfValues > 0 && i + 1 < args.Count
                    && (option.Arity.MinimumNumberOfValues > 0 || bool.TryParse(args[i + 1], out _)))
                {
                    i++;
                }
                else if (option is null && !known.Any(o => HasAttachedValue(o, token)))
                {
                    unknown.Add(token);
                }

                continue;
            }

            return ([.. args.Take(i)], [.. args.Skip(i)], [.. unknown]);
        }

        return ([.. args], [], [.. unknown]);
    }

    private static IEnumerable<string> Names(Option option) => [option.Name, .. option.Aliases];

    /// <summary>"--np=4", "--np:4", or a short alias with its value attached ("-n4").</summary>
    private static bool HasAttachedValue(Option option, string token)
        => option.Arity.MaximumNumberOfValues > 0 && Names(option).Any(name =>
            token.Length > name.Length && token.StartsWith(name, StringComparison.Ordinal)
            && (token[name.Length] is '=' or ':' || (name.Length == 2 && name[0] == '-' && name[1] != '-')));
}
