using Microsoft.Extensions.Options;

namespace Vectros.Runtime.Hosting;

/// <summary>Checks <see cref="RuntimeOptions"/> at start-up (ValidateOnStart).</summary>
internal sealed class RuntimeOptionsValidator : IValidateOptions<RuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, RuntimeOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SiloName))
        {
            failures.Add($"{RuntimeOptions.SectionName}:{nameof(options.SiloName)} must not be empty.");
        }

        Positive(options.CollectionAge, nameof(options.CollectionAge));
        Positive(options.CollectionQuantum, nameof(options.CollectionQuantum));
        Positive(options.ResponseTimeout, nameof(options.ResponseTimeout));
        Positive(options.ReminderPollInterval, nameof(options.ReminderPollInterval));
        Positive(options.ReminderLeaseTime, nameof(options.ReminderLeaseTime));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(TimeSpan value, string property)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{RuntimeOptions.SectionName}:{property} must be positive (was {value}).");
            }
        }
    }
}
