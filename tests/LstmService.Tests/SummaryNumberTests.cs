using LstmService.Drift;

namespace LstmService.Tests;

/// <summary>Numbers in a drift decision's summary: four significant digits, an exponent written as the dashboard writes it.</summary>
public class SummaryNumberTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.5, "1.5")]
    [InlineData(12.3456, "12.35")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(1234.4, "1234")]
    [InlineData(25_530_000.0, "2.553e+7")]
    [InlineData(12_345.0, "1.234e+4")]
    [InlineData(-3.2e12, "-3.2e+12")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(1e100, "1e+100")]
    public void WritesFourSignificantDigitsAndAShortExponent(double value, string expected) =>
        Assert.Equal(expected, SummaryNumber.Of(value));

    [Fact]
    public void SaysNoneForAFigureNotMeasured() => Assert.Equal("none", SummaryNumber.Of((double?)null));

    [Fact]
    public void ReadsBackWithinItsFourDigits()
    {
        var random = new Random(42);
        for (int i = 0; i < 1000; i++)
        {
            double value = Math.Exp(random.NextDouble() * 60 - 30) * (random.Next(2) * 2 - 1);
            var text = SummaryNumber.Of(value);
            Assert.DoesNotContain('E', text);
            double read = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(read - value) <= 5e-4 * Math.Abs(value), $"{value} was written {text}");
        }
    }
}
