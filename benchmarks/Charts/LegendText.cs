namespace Collectives.Charts;

/// <summary>
/// Shortens legend entries that repeat each other or the title: words every entry starts with
/// move to the title (once), and leading words the title already has are dropped. An entry is
/// never left empty.
/// </summary>
internal static class LegendText
{
    private static readonly char[] Separators = [' ', '/', ',', ':', ';'];

    /// <summary>The title to draw and each series' legend text.</summary>
    public static (string Title, IReadOnlyList<string> Names) Shorten(string title, IReadOnlyList<string> names)
    {
        string prefix = names.Count > 1 ? CommonWordPrefix(names) : string.Empty;
        string common = prefix.Trim(Separators);
        string[] titleWords = Words(title);
        string shownTitle = common.Length == 0 || Words(common).All(word => titleWords.Contains(word, StringComparer.OrdinalIgnoreCase))
            ? title
            : $"{title}: {common}";
        string[] allTitleWords = Words(shownTitle);
        return (shownTitle, [.. names.Select(name => DropTitleWords(name[prefix.Length..], allTitleWords))]);
    }

    /// <summary>The longest start all names share that ends just after a separator and leaves every name something.</summary>
    private static string CommonWordPrefix(IReadOnlyList<string> names)
    {
        string first = names[0];
        int length = names.Skip(1).Aggregate(first.Length, (shared, name) =>
        {
            int i = 0;
            while (i < shared && i < name.Length && name[i] == first[i])
            {
                i++;
            }

            return i;
        });
        while (length > 0 && (!Separators.Contains(first[length - 1]) || names.Any(name => name.Length <= length)))
        {
            length--;
        }

        return first[..length];
    }

    private static string DropTitleWords(string name, string[] titleWords)
    {
        string rest = name.TrimStart(Separators);
        while (true)
        {
            int end = rest.IndexOfAny(Separators);
            if (end <= 0 || !titleWords.Contains(rest[..end], StringComparer.OrdinalIgnoreCase))
            {
                return rest.Length > 0 ? rest : name;
            }

            string shorter = rest[end..].TrimStart(Separators);
            if (shorter.Length == 0)
            {
                return rest;
            }

            rest = shorter;
        }
    }

    private static string[] Words(string text) => text.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
}
