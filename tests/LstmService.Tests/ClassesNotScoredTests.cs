using LstmService.Models;
using LstmService.Registry;

namespace LstmService.Tests;

/// <summary>A classifier's classes that its scored part neither held nor predicted are named, the rest are not.</summary>
public sealed class ClassesNotScoredTests
{
    private static ClassificationMetricsResponse Response(int[][] matrix, params string[] classes) => ClassificationMetricsResponse.From(new ClassificationInfo(
        "validation", matrix.Sum(row => row.Sum()), 1, 1, classes, matrix, new double[classes.Length], 1, new float[classes.Length], 40, 5))!;

    [Fact]
    public void A_class_neither_held_nor_predicted_is_named() =>
        Assert.Equal(["rare"], Response([[5, 0], [0, 0]], "common", "rare").ClassesNotScored);

    [Fact]
    public void A_class_predicted_but_not_held_was_judged_and_is_not_named() =>
        Assert.Empty(Response([[4, 1], [0, 0]], "common", "rare").ClassesNotScored);

    [Fact]
    public void A_class_held_but_never_predicted_was_judged_and_is_not_named() =>
        Assert.Empty(Response([[5, 0], [2, 0]], "common", "rare").ClassesNotScored);

    [Fact]
    public void Of_three_classes_only_the_empty_row_and_column_is_named() =>
        Assert.Equal(["b"], Response([[3, 0, 1], [0, 0, 0], [1, 0, 2]], "a", "b", "c").ClassesNotScored);
}
