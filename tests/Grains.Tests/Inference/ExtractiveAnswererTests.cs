using System.Text.RegularExpressions;
using Vectros.Grains.Inference;
using Xunit;

namespace Vectros.Grains.Tests.Inference;

/// <summary>The local answerer composes only from the passages, cites them, and says so when they do not answer.</summary>
public sealed partial class ExtractiveAnswererTests
{
    private static readonly ExtractiveAnswerer Model = new(ExtractiveAnswerer.ModelId);

    private static ChatModelPrompt Prompt(string question, params GroundingPassage[] passages) => new()
    {
        System = "Answer only from the context.",
        Turns = [new ChatModelTurn("user", question + "\n\n" + string.Join("\n", passages.Select(p => p.Text)))],
        Passages = passages,
        Question = question,
        MaxTokens = 512,
        Temperature = 0.3,
    };

    private static async Task<(string Text, ChatModelUsage Usage, int Deltas)> RunAsync(ChatModelPrompt prompt)
    {
        var text = "";
        ChatModelUsage? usage = null;
        var deltas = 0;
        await foreach (var chunk in Model.StreamAsync(prompt, CancellationToken.None))
        {
            if (chunk.Delta is not null)
            {
                text += chunk.Delta;
                deltas++;
            }

            usage ??= chunk.Usage;
        }

        return (text, usage!, deltas);
    }

    [Fact]
    public async Task Answers_with_the_matching_sentences_and_cites_their_passages()
    {
        var (text, usage, deltas) = await RunAsync(Prompt("How do I reset my password?",
            new GroundingPassage("doc-a", "Our office opens at nine. To reset your password, open Settings and choose Security."),
            new GroundingPassage("doc-b", "Invoices are sent monthly. Billing questions go to the finance team.")));

        Assert.Contains("To reset your password, open Settings and choose Security. [doc-a]", text);
        Assert.DoesNotContain("Invoices", text);
        Assert.DoesNotContain("office opens", text);
        Assert.All(Citations().Matches(text), m => Assert.Equal("doc-a", m.Groups[1].Value));
        Assert.True(deltas > 1, "the answer streams in several deltas");
        Assert.True(usage.InputTokens > 0 && usage.OutputTokens > 0);
    }

    [Fact]
    public async Task Says_plainly_when_the_passages_do_not_answer()
    {
        var (text, _, _) = await RunAsync(Prompt("What is the capital of Peru?",
            new GroundingPassage("doc-a", "To reset your password, open Settings and choose Security.")));

        Assert.Equal("The retrieved passages do not answer this question.", text);
    }

    [Fact]
    public async Task Without_passages_it_says_it_answers_only_from_retrieved_content()
    {
        var (text, _, _) = await RunAsync(Prompt("Hello there, how are you?"));

        Assert.StartsWith("I can only answer from retrieved passages", text);
    }

    [Fact]
    public async Task Stops_at_max_tokens()
    {
        var passage = new GroundingPassage("doc-a", string.Join(' ', Enumerable.Repeat("The password reset link expires after one hour.", 4)));
        var prompt = Prompt("password reset link", passage) with { MaxTokens = 5 };

        var (text, usage, _) = await RunAsync(prompt);

        Assert.True(usage.OutputTokens <= 5);
        Assert.True(TokenEstimator.Count(text) <= 5);
    }

    [Fact]
    public async Task Cancellation_stops_the_stream()
    {
        using var cancel = new CancellationTokenSource();
        var prompt = Prompt("password reset link expires",
            new GroundingPassage("doc-a", "The password reset link expires after one hour and can be requested again from the sign-in page."));
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Model.StreamAsync(prompt, cancel.Token))
            {
                seen++;
                await cancel.CancelAsync();
            }
        });
        Assert.Equal(1, seen);
    }

    [GeneratedRegex(@"\[([^\]]+)\]")]
    private static partial Regex Citations();
}
