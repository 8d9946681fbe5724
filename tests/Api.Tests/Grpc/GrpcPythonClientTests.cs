using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Grpc;

/// <summary>
/// An independent client (issue #12 item 5): <c>tests/python/grpc_smoke.py</c> on Debian's python3-grpcio, with stubs
/// that protoc generates from <c>protos/</c> at run time, against the shared test server. Nothing is shared with the
/// server or Grpc.Net.Client but the .proto files. <c>./vectros test</c> installs the packages; a machine without them
/// fails this test with the reason (never a silent skip: the independent client is part of the acceptance).
/// </summary>
public sealed class GrpcPythonClientTests : GrpcTestBase
{
    /// <summary>Debian's interpreter, where python3-grpcio lives (a pyenv or venv <c>python3</c> on PATH has no grpc).</summary>
    private const string DebianPython = "/usr/bin/python3";

    private const string Prerequisites =
        "The independent gRPC client needs Debian's python3, python3-grpcio, python3-protobuf, protobuf-compiler, "
        + "protobuf-compiler-grpc and libprotobuf-dev: ./vectros test installs them (or apt-get install them).";

    [Fact]
    public async Task Python_client_pings_runs_record_crud_and_a_streamed_search()
    {
        // The script writes records of this type: text (string), n (number), extra (string).
        await CreateSchemaAsync(new
        {
            typeName = "note",
            displayName = "Note",
            fields = new object[]
            {
                new { fieldId = "text", fieldType = "string", required = true, searchable = true },
                new { fieldId = "n", fieldType = "number" },
                new { fieldId = "extra", fieldType = "string" },
            },
        });
        var root = RepositoryRoot();
        var address = Server.GrpcAddress!;
        var start = new ProcessStartInfo(File.Exists(DebianPython) ? DebianPython : "python3")
        {
            ArgumentList = { Path.Combine(root, "tests", "python", "grpc_smoke.py") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["VECTROS_GRPC_ADDRESS"] = $"{address.Host}:{address.Port}";
        start.Environment["VECTROS_KEY"] = Partner.TestKey.RawKey;
        start.Environment["VECTROS_TYPE_NAME"] = "note";
        start.Environment["VECTROS_PROTOS"] = Path.Combine(root, "protos");
        // The generated stubs must come from Debian's packages, not a user site or an activated virtualenv.
        start.Environment["PYTHONNOUSERSITE"] = "1";
        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("PYTHONHOME");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"{Prerequisites} Starting {start.FileName} failed: {e.Message}{CiNote()}");
            return;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"grpc_smoke.py did not finish within 2 minutes.\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
            }

            var output = $"exit code {process.ExitCode}\nstdout:\n{await stdout}\nstderr:\n{await stderr}";
            // Exit code 3: a prerequisite (grpc module, protoc, plugin, well-known protos) is missing.
            Assert.True(process.ExitCode != 3, $"{Prerequisites}{CiNote()}\n{output}");
            Assert.True(process.ExitCode == 0, $"The Python gRPC client found a mismatch.\n{output}");
        }
    }

    private static string CiNote() =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? " (CI=true: the CI image must have them.)"
            : "";

    /// <summary>The checkout: found from the test binaries upwards, else from this source file's path.</summary>
    private static string RepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "tests", "python", "grpc_smoke.py"))
                    && Directory.Exists(Path.Combine(dir.FullName, "protos", "vectros", "v1")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new FileNotFoundException($"tests/python/grpc_smoke.py was not found above {AppContext.BaseDirectory} or {sourceFile}.");
    }
}
