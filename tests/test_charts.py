"""The shared SVG chart: text alternative always there, missing data never drawn as zero."""

from __future__ import annotations

from factors.charts import ChartRow, bar_chart, charts_for_print


def test_chart_has_title_description_and_table():
    html = bar_chart(
        rows=[ChartRow("Values", 75, "Important"), ChartRow("Culture", None, "Not answered yet")],
        title="What matters to me",
        description="How much each factor matters.",
        chart_id="c1",
    )
    assert 'role="img"' in html and 'aria-labelledby="c1-title c1-desc"' in html
    assert '<title id="c1-title">What matters to me</title>' in html
    assert '<th scope="row">Culture</th><td>Not answered yet</td>' in html
    # One bar for Values (plus two backgrounds): Culture has no bar at all.
    assert html.count('fill="#0b5ed7"') == 1


def test_values_are_clamped_and_labels_escaped():
    html = bar_chart(
        rows=[ChartRow("<script>x</script>", 150, "a & b")],
        title="t",
        description="d",
        chart_id="c2",
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'width="300" height="22" fill="#0b5ed7"' in html


def test_print_charts_give_their_data_as_a_list():
    html = bar_chart(
        rows=[ChartRow("Values", 75, "Important"), ChartRow("Culture", None, "Not answered yet")],
        title="What matters to me",
        description="How much each factor matters.",
        chart_id="c3",
        data_as_list=True,
    )
    assert "<table" not in html and 'role="img"' in html
    assert "<li>Culture: Not answered yet</li>" in html
    with charts_for_print():
        assert "<table" not in bar_chart(rows=[], title="t", description="d", chart_id="c4")
    assert "<table" in bar_chart(rows=[], title="t", description="d", chart_id="c5")


def test_a_chart_whose_figures_follow_in_full_is_the_drawing_alone():
    rows = [ChartRow("Values", 75, "Important")]
    with charts_for_print(data_given_beside=True):
        html = bar_chart(rows=rows, title="t", description="d", chart_id="c6")
    assert 'role="img"' in html and "<figcaption" in html
    assert "<li>" not in html and "<table" not in html
    with charts_for_print():  # other reports keep the chart's own figures
        assert "<li>Values: Important</li>" in bar_chart(
            rows=rows, title="t", description="d", chart_id="c7"
        )


def test_a_long_label_is_cut_at_a_word_in_the_drawing_and_whole_in_the_table():
    label = "Matched (a profile shared with an employer)"
    html = bar_chart(
        rows=[ChartRow(label, 40, "40 of 100")], title="t", description="d", chart_id="c4"
    )
    drawn = html.split("</svg>")[0]
    assert label not in drawn  # it would run into the bars
    assert ">Matched (a profile shared…</text>" in drawn
    assert f'<th scope="row">{label}</th>' in html
