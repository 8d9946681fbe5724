using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vectros.Grains.Tests.Indexing;

/// <summary>
/// An OpenAI-compatible <c>POST /v1/embeddings</c> on Kestrel at 127.0.0.1 with a random port. Each request takes
/// the next scripted behaviour (or answers normally once the script is used up) and is recorded.
/// </summary>
public sealed class FakeEmbeddingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, FakeRequest, Task>> _script = new();

    private FakeEmbeddingServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = string.Empty;

    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    /// <summary>The width of the vectors a normal answer carries.</summary>
    public int Dimensions { get; set; } = 384;

    /// <summary>Answer the data items in reverse order of their indexes (the wire allows any order).</summary>
    public bool Reverse { get; set; }

    public static async Task<FakeEmbeddingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeEmbeddingServer(app);
        app.MapPost("/v1/embeddings", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address + "/v1";
        return server;
    }

    public void Then(Func<HttpContext, FakeRequest, Task> behaviour) => _script.Enqueue(behaviour);

    public void ThenStatus(int status, string body = "{\"error\":{\"message\":\"try later\"}}", Action<HttpResponse>? headers = null) =>
        Then(async (context, _) =>
        {
            context.Response.StatusCode = status;
            headers?.Invoke(context.Response);
            await context.Response.WriteAsync(body);
        });

    /// <summary>The vector the fake gives a text: deterministic, so tests can check which vector landed where.</summary>
    public static float[] VectorFor(string text, int dimensions)
    {
        var vector = new float[dimensions];
        vector[(uint)text.GetHashCode(StringComparison.Ordinal) % dimensions] = 1f;
        vector[text.Length % dimensions] += 0.5f;
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => v / norm)];
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        var request = new FakeRequest(
            context.Request.Headers.Authorization.ToString(),
            body!["model"]!.GetValue<string>(),
            [.. body["input"]!.AsArray().Select(n => n!.GetValue<string>())],
            body["dimensions"]?.GetValue<int>());
        Requests.Enqueue(request);
        if (_script.TryDequeue(out var behaviour))
        {
            await behaviour(context, request);
            return;
        }

        await AnswerAsync(context, request);
    }

    public async Task AnswerAsync(HttpContext context, FakeRequest request)
    {
        var items = request.Input.Select((text, index) => new { @object = "embedding", index, embedding = VectorFor(text, Dimensions) });
        var data = Reverse ? items.Reverse().ToArray() : items.ToArray();
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { @object = "list", data, model = request.Model }));
    }
}

public sealed record FakeRequest(string Authorization, string Model, string[] Input, int? Dimensions);
