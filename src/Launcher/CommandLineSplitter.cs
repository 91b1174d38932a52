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
    public static (string[] Launcher, string[] Program) Split(IReadOnlyList<string> args, IEnumerable<Option> options)
    {
        Option[] known = [.. options];
        for (int i = 0; i < args.Count; i++)
        {
            string token = args[i];
            if (token == "--")
            {
                return ([.. args.Take(i)], [.. args.Skip(i + 1)]);
            }

            if (token.Length > 1 && token[0] == '-')
            {
                // "-n 4" takes the next word; "-n4", "--np=4" and flags do not, and a flag takes
                // only an explicit true/false (as System.CommandLine reads "--flag false").
                Option? option = known.FirstOrDefault(o => o.Name == token || o.Aliases.Contains(token));
                if (option is not null && option.Arity.MaximumNumberOfValues > 0 && i + 1 < args.Count
                    && (option.Arity.MinimumNumberOfValues > 0 || bool.TryParse(args[i + 1], out _)))
                {
                    i++;
                }

                continue;
            }

            return ([.. args.Take(i)], [.. args.Skip(i)]);
        }

        return ([.. args], []);
    }
}
