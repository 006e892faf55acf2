using System.Globalization;

namespace Latchkey.Tenancy;

/// <summary>Go's duration syntax (<c>1h</c>, <c>30m</c>, <c>1h30m</c>, <c>90s</c>, <c>500ms</c>), as Hydra's config uses it.</summary>
public static class GoDuration
{
    public static bool TryParse(string? value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(value)) return false;
        if (value == "0") return true;

        var i = 0;
        var total = 0.0;
        while (i < value.Length)
        {
            var start = i;
            while (i < value.Length && (char.IsAsciiDigit(value[i]) || value[i] == '.')) i++;
            if (start == i) return false;
            if (!double.TryParse(value.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;

            var unitStart = i;
            while (i < value.Length && char.IsAsciiLetter(value[i]) || i < value.Length && value[i] == 'µ') i++;
            var factor = value[unitStart..i] switch
            {
                "h" => 3600.0,
                "m" => 60.0,
                "s" => 1.0,
                "ms" => 1e-3,
                "us" or "µs" => 1e-6,
                "ns" => 1e-9,
                _ => double.NaN,
            };
            if (double.IsNaN(factor)) return false;
            total += number * factor;
        }
        if (total > TimeSpan.MaxValue.TotalSeconds) return false;
        duration = TimeSpan.FromSeconds(total);
        return true;
    }

    /// <summary>Go's <c>time.Duration.String()</c>: <c>31h0m0s</c>, <c>1m30s</c>, <c>1.5s</c>, <c>500ms</c>, <c>0s</c>, as Hydra writes durations back.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) return "-" + Format(duration.Negate());
        if (duration == TimeSpan.Zero) return "0s";
        if (duration < TimeSpan.FromSeconds(1))
        {
            var ticks = duration.Ticks;
            return ticks >= TimeSpan.TicksPerMillisecond
                ? (ticks / (double)TimeSpan.TicksPerMillisecond).ToString("0.######", CultureInfo.InvariantCulture) + "ms"
                : (ticks / (double)TimeSpan.TicksPerMicrosecond).ToString("0.###", CultureInfo.InvariantCulture) + "µs";
        }
        var hours = (long)duration.TotalHours;
        var seconds = (duration - TimeSpan.FromHours(hours) - TimeSpan.FromMinutes(duration.Minutes)).TotalSeconds.ToString("0.#######", CultureInfo.InvariantCulture) + "s";
        return hours > 0 ? $"{hours}h{duration.Minutes}m{seconds}" : duration.Minutes > 0 ? $"{duration.Minutes}m{seconds}" : seconds;
    }

    public static TimeSpan Parse(string value) =>
        TryParse(value, out var duration) ? duration : throw new FormatException($"'{value}' is not a duration such as 1h or 30m.");
}
