import Testing
@testable import YingshangCore

@Suite("SVG charts")
struct ChartTests {
    @Test("Bars scale to the maximum and labels are escaped")
    func bars() {
        let svg = SVGChart.horizontalBars([
            .init(label: "市场监管局", value: 50, valueLabel: "50%"),
            .init(label: "<b>发改委</b>", value: 100, valueLabel: "100%"),
        ], maximum: 100, title: "完成率")
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("<title>完成率</title>"))
        #expect(svg.contains(#"width="190.0""#), "half of the 380-pixel plot")
        #expect(svg.contains(#"width="380.0""#))
        #expect(svg.contains("&lt;b&gt;发改委"))
        #expect(!svg.contains("<b>"))
    }

    @Test("Columns have one rectangle per value and survive all-zero data")
    func columns() {
        let svg = SVGChart.columns([.init(label: "1月", value: 0, valueLabel: "0"), .init(label: "2月", value: 0, valueLabel: "0")], title: "报告")
        #expect(svg.components(separatedBy: "<rect").count == 3)
        #expect(!svg.contains("nan"))
    }
}
