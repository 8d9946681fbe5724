using Microsoft.Extensions.Logging;

namespace Vectros.Runtime;

/// <summary>
/// The runtime's log messages. Call arguments are never logged: they can hold secrets.
/// </summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Activation of {GrainId} failed; its waiting calls fail and the next call retries")]
    public static partial void ActivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "OnDeactivateAsync of {GrainId} ({Reason}) failed")]
    public static partial void DeactivationFailed(ILogger logger, Exception exception, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Deactivated {GrainId} ({Reason})")]
    public static partial void Deactivated(ILogger logger, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Turn of {GrainId} ended with an unexpected runtime error")]
    public static partial void TurnFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Disposing the service scope of {GrainId} failed")]
    public static partial void ScopeDisposeFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Call to {Method} on {GrainId} timed out after {Timeout}")]
    public static partial void CallTimedOut(ILogger logger, GrainId grainId, string method, TimeSpan timeout);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Idle collection deactivating {Count} activations")]
    public static partial void IdleCollected(ILogger logger, int count);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Deactivating {Count} activations for shutdown")]
    public static partial void DeactivatingAll(ILogger logger, int count);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Shutdown timeout reached with {Count} activations still deactivating")]
    public static partial void DeactivationAbandoned(ILogger logger, int count);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Timer callback of {GrainId} failed")]
    public static partial void TimerCallbackFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Polling reminders failed; retrying next poll")]
    public static partial void ReminderPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Delivered reminder {ReminderName} to {GrainId}")]
    public static partial void ReminderDelivered(ILogger logger, GrainId grainId, string reminderName);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Delivering reminder {ReminderName} to {GrainId} failed; retrying next poll")]
    public static partial void ReminderDeliveryFailed(ILogger logger, Exception exception, GrainId grainId, string reminderName);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Updating reminder {ReminderName} of {GrainId} after delivery failed; its lease will expire")]
    public static partial void ReminderCompleteFailed(ILogger logger, Exception exception, GrainId grainId, string reminderName);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Applied migration {Module} {Version} ({Name})")]
    public static partial void MigrationApplied(ILogger logger, string module, int version, string name);
}
