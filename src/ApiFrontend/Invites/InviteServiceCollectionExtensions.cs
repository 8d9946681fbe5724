using Microsoft.Extensions.Options;

namespace Vectros.ApiFrontend.Invites;

public static class InviteServiceCollectionExtensions
{
    /// <summary>The invitation sender chosen by <c>Vectros:Invites:Sender</c>; a test may register its own <see cref="IInviteSender"/> first.</summary>
    public static IServiceCollection AddInviteSender(this IServiceCollection services)
    {
        services.AddOptions<InviteOptions>().BindConfiguration(InviteOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LogInviteSender>();
        services.AddSingleton<SmtpInviteSender>();
        services.AddSingleton<IInviteSender>(sp => sp.GetRequiredService<IOptions<InviteOptions>>().Value.Sender == "smtp"
            ? sp.GetRequiredService<SmtpInviteSender>()
            : sp.GetRequiredService<LogInviteSender>());
        return services;
    }
}
