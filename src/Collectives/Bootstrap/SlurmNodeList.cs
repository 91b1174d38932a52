using System.Globalization;
using System.Text;

namespace Collectives.Bootstrap;

/// <summary>
/// Slurm's compressed host lists, as in <c>SLURM_JOB_NODELIST</c>: <c>node[01-04,07],gpu3</c> is
/// node01, node02, node03, node04, node07 and gpu3. A bracket holds numbers and ranges, whose
/// width (zero padding) is the low bound's; a name may hold several brackets
/// (<c>rack[1-2]-n[1-2]</c>: rack1-n1, rack1-n2, rack2-n1, rack2-n2).
/// </summary>
internal static class SlurmNodeList
{
    /// <summary>The hosts of <paramref name="list"/>, in Slurm's order, produced one at a time (a list may name thousands).</summary>
    /// <exception cref="FormatException">The list is not in Slurm's syntax.</exception>
    public static IEnumerable<string> Expand(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        foreach (string item in SplitOutsideBrackets(list.Trim()))
        {
            foreach (string host in ExpandItem(item, item))
            {
                yield return host;
            }
        }
    }

    /// <summary>The first host of <paramref name="list"/>: the node of a step's task 0.</summary>
    /// <exception cref="FormatException">The list is empty or not in Slurm's syntax.</exception>
    public static string First(string list)
        => Expand(list).FirstOrDefault() ?? throw new FormatException($"The Slurm node list '{list}' names no host.");

    private static IEnumerable<string> SplitOutsideBrackets(string list)
    {
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= list.Length; i++)
        {
            if (i == list.Length || (list[i] == ',' && depth == 0))
            {
                if (i > start)
                {
                    yield return list[start..i];
                }

                start = i + 1;
            }
            else if (list[i] == '[')
            {
                depth++;
            }
            else if (list[i] == ']')
            {
                depth--;
            }
        }
    }

    /// <summary>Expands the first bracket of <paramref name="item"/> and recurses on the rest.</summary>
    private static IEnumerable<string> ExpandItem(string item, string whole)
    {
        int open = item.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            if (item.Contains(']', StringComparison.Ordinal))
            {
                throw new FormatException($"The Slurm node list item '{whole}' has a ']' without '['.");
            }

            yield return item;
            yield break;
        }

        int close = item.IndexOf(']', open);
        if (close < 0)
        {
            throw new FormatException($"The Slurm node list item '{whole}' has a '[' without ']'.");
        }

        string prefix = item[..open];
        string rest = item[(close + 1)..];
        foreach (string number in Numbers(item[(open + 1)..close], whole))
        {
            foreach (string tail in ExpandItem(rest, whole))
            {
                yield return new StringBuilder(prefix).Append(number).Append(tail).ToString();
            }
        }
    }

    private static IEnumerable<string> Numbers(string ranges, string whole)
    {
        foreach (string range in ranges.Split(','))
        {
            string[] bounds = range.Split('-');
            if (bounds.Length is < 1 or > 2 || !bounds.All(IsDigits))
            {
                throw new FormatException($"The Slurm node list item '{whole}' has '{range}' where a number or a range such as 01-04 belongs.");
            }

            long low = long.Parse(bounds[0], CultureInfo.InvariantCulture);
            long high = bounds.Length == 2 ? long.Parse(bounds[1], CultureInfo.InvariantCulture) : low;
            if (high < low)
            {
                throw new FormatException($"The Slurm node list item '{whole}' has the range '{range}', which runs backwards.");
            }

            int width = bounds[0].Length;
            for (long n = low; n <= high; n++)
            {
                yield return n.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
            }
        }
    }

    private static bool IsDigits(string text) => text.Length is > 0 and <= 18 && text.All(char.IsAsciiDigit);
}
