using System.Globalization;
using System.Text;

namespace Collectives.CollSim;

/// <summary>Writes every point as CSV, one row each, times in ns.</summary>
internal static class CsvReport
{
    public const string Header = "collective,type,nodes,bytes,path,fanin,repetitions,mean_ns,min_ns,max_ns";

    public static void Write(string path, IEnumerable<StudyPoint> points)
    {
        var text = new StringBuilder().AppendLine(Header);
        foreach (StudyPoint p in points)
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{p.Collective.ToString().ToLowerInvariant()},{p.Type.ToString().ToLowerInvariant()},{p.Nodes},{p.Bytes},{p.Path.ToString().ToLowerInvariant()},{p.FanIn},{p.Repetitions},{p.MeanNs:F1},{p.MinNs},{p.MaxNs}"));
        }

        OutputFile.Write(path, text.ToString());
    }
}
