using Tarpit.Config;

namespace Tarpit.Tests.Config;

public sealed class ConfigDiagnosticTests
{
    [Fact]
    public void Diagnostic_renders_as_file_line_column_error_message()
    {
        var diagnostic = new ConfigDiagnostic("tarpit.toml", 12, 9, "port 70000 is out of range (1-65535)");

        Assert.Equal("tarpit.toml:12:9: error: port 70000 is out of range (1-65535)", diagnostic.ToString());
    }

    [Fact]
    public void Config_exception_carries_exit_code_78_and_every_diagnostic()
    {
        var exception = new ConfigException(
        [
            new ConfigDiagnostic("t.toml", 1, 1, "first"),
            new ConfigDiagnostic("t.toml", 2, 3, "second"),
        ]);

        Assert.Equal(78, ExitCodes.Config);
        Assert.Equal(2, exception.Diagnostics.Count);
        Assert.Equal("t.toml:1:1: error: first\nt.toml:2:3: error: second", exception.Message.ReplaceLineEndings("\n"));
    }
}
