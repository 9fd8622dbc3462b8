using Tarpit.Tarpits;

namespace Tarpit.Tests.Tarpits;

public sealed class SessionStepTests
{
    [Fact]
    public void Each_factory_carries_its_kind_and_delay()
    {
        Assert.Equal((SessionStepKind.After, TimeSpan.FromSeconds(2)), Unpack(SessionStep.After(TimeSpan.FromSeconds(2))));
        Assert.Equal((SessionStepKind.AwaitInput, TimeSpan.FromSeconds(5)), Unpack(SessionStep.AwaitInput(TimeSpan.FromSeconds(5))));
        Assert.Equal((SessionStepKind.Close, TimeSpan.Zero), Unpack(SessionStep.Close));
        Assert.Equal((SessionStepKind.CloseAfter, TimeSpan.FromSeconds(1)), Unpack(SessionStep.CloseAfter(TimeSpan.FromSeconds(1))));
    }

    [Fact]
    public void A_negative_delay_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SessionStep.After(TimeSpan.FromTicks(-1)));
    }

    private static (SessionStepKind, TimeSpan) Unpack(SessionStep step) => (step.Kind, step.Delay);
}
