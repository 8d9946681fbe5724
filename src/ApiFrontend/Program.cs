using Vectros.ApiFrontend;
using Vectros.ApiFrontend.Admin;

// `admin …` runs an operator command against the same configuration instead of serving HTTP.
if (args is ["admin", .. var rest])
{
    return await AdminCommands.RunAsync(rest);
}

var app = ApiHostingExtensions.BuildVectrosApp(args);
await app.RunAsync();
return 0;

/// <summary>Entry point; public so tests can locate the assembly.</summary>
public partial class Program;
