using System.Globalization;

namespace DataParallelTraining;

/// <summary>The sample's command line: <c>[--sharded] [--epochs N] [--samples N] [--batch N] [--hidden N] [--learning-rate X]</c>.</summary>
internal sealed record TrainingSettings(bool Sharded, int Epochs, int Samples, int GlobalBatch, int Hidden, float LearningRate)
{
    public const int Features = 32;
    public const int Classes = 8;
    public const float Momentum = 0.9f;
    public const int DataSeed = 2026;
    public const int ModelSeed = 7;

    public static TrainingSettings Parse(string[] args)
    {
        var settings = new TrainingSettings(Sharded: false, Epochs: 8, Samples: 8192, GlobalBatch: 256, Hidden: 128, LearningRate: 0.05f);
        for (int i = 0; i < args.Length; i++)
        {
            settings = args[i] switch
            {
                "--sharded" => settings with { Sharded = true },
                "--epochs" => settings with { Epochs = Positive(args, ref i) },
                "--samples" => settings with { Samples = Positive(args, ref i) },
                "--batch" => settings with { GlobalBatch = Positive(args, ref i) },
                "--hidden" => settings with { Hidden = Positive(args, ref i) },
                "--learning-rate" => settings with { LearningRate = PositiveReal(args, ref i) },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: DataParallelTraining [--sharded] [--epochs N] [--samples N] [--batch N] [--hidden N] [--learning-rate X]"),
            };
        }

        return settings.GlobalBatch <= settings.Samples
            ? settings
            : throw new ArgumentException($"--batch {settings.GlobalBatch} is larger than --samples {settings.Samples}.");
    }

    private static string Value(string[] args, ref int i)
        => ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static int Positive(string[] args, ref int i)
    {
        string value = Value(args, ref i);
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number > 0
            ? number
            : throw new ArgumentException($"{args[i - 1]} takes a positive whole number, not '{value}'.");
    }

    private static float PositiveReal(string[] args, ref int i)
    {
        string value = Value(args, ref i);
        return float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float number) && number > 0 && float.IsFinite(number)
            ? number
            : throw new ArgumentException($"{args[i - 1]} takes a positive number, not '{value}'.");
    }
}
