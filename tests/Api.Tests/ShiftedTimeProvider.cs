namespace Vectros.Api.Tests;

/// <summary>The system clock moved by <see cref="Offset"/>: lets a test turn the calendar month without waiting for it.</summary>
public sealed class ShiftedTimeProvider : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Moves the clock to the first second of the next calendar month (UTC).</summary>
    public void ToNextMonth()
    {
        var now = GetUtcNow();
        var next = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 1, TimeSpan.Zero).AddMonths(1);
        Offset += next - now;
    }
}
