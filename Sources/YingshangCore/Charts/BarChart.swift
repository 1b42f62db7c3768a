import Foundation

/// Server-drawn SVG charts: plain strings, no JavaScript, readable when printed.
public enum SVGChart {
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        /// Shown at the end of the bar, e.g. "85.0%" or "12".
        public var valueLabel: String
        /// A second, darker part of the bar (e.g. completed on time within completed), 0…value.
        public var highlight: Double?

        public init(label: String, value: Double, valueLabel: String, highlight: Double? = nil) {
            self.label = label
            self.value = value
            self.valueLabel = valueLabel
            self.highlight = highlight
        }
    }

    /// A horizontal bar chart, one row per bar, scaled to `maximum` (or the largest value).
    public static func horizontalBars(_ bars: [Bar], maximum: Double? = nil, title: String, width: Int = 640) -> String {
        let rowHeight = 26, labelWidth = 190, valueWidth = 70, top = 8
        let height = top * 2 + max(1, bars.count) * rowHeight
        let scale = max(maximum ?? bars.map(\.value).max() ?? 1, 0.000_001)
        let plotWidth = Double(width - labelWidth - valueWidth)
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 \#(width) \#(height)" width="100%" preserveAspectRatio="xMinYMin meet"><title>\#(escape(title))</title>"#
        for (index, bar) in bars.enumerated() {
            let y = top + index * rowHeight
            let length = max(0, min(1, bar.value / scale)) * plotWidth
            svg += #"<text x="\#(labelWidth - 8)" y="\#(y + 17)" text-anchor="end" class="chart-label">\#(escape(truncate(bar.label, 14)))</text>"#
            svg += #"<rect x="\#(labelWidth)" y="\#(y + 4)" width="\#(format(length))" height="\#(rowHeight - 8)" class="chart-bar"/>"#
            if let highlight = bar.highlight {
                let inner = max(0, min(1, highlight / scale)) * plotWidth
                svg += #"<rect x="\#(labelWidth)" y="\#(y + 4)" width="\#(format(inner))" height="\#(rowHeight - 8)" class="chart-bar-strong"/>"#
            }
            svg += #"<text x="\#(format(Double(labelWidth) + length + 6))" y="\#(y + 17)" class="chart-value">\#(escape(bar.valueLabel))</text>"#
        }
        return svg + "</svg>"
    }

    /// A column chart over periods (e.g. reports per month), with the values above the columns.
    public static func columns(_ bars: [Bar], title: String, width: Int = 640, height: Int = 200) -> String {
        let bottom = 28, top = 18
        let plotHeight = Double(height - bottom - top)
        let slot = Double(width) / Double(max(1, bars.count))
        let scale = max(bars.map(\.value).max() ?? 1, 0.000_001)
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 \#(width) \#(height)" width="100%" preserveAspectRatio="xMinYMin meet"><title>\#(escape(title))</title>"#
        for (index, bar) in bars.enumerated() {
            let h = max(0, bar.value / scale) * plotHeight
            let x = Double(index) * slot + slot * 0.2
            let y = Double(height - bottom) - h
            svg += #"<rect x="\#(format(x))" y="\#(format(y))" width="\#(format(slot * 0.6))" height="\#(format(h))" class="chart-bar"/>"#
            if let highlight = bar.highlight {
                let hh = max(0, highlight / scale) * plotHeight
                svg += #"<rect x="\#(format(x))" y="\#(format(Double(height - bottom) - hh))" width="\#(format(slot * 0.6))" height="\#(format(hh))" class="chart-bar-strong"/>"#
            }
            svg += #"<text x="\#(format(x + slot * 0.3))" y="\#(format(y - 4))" text-anchor="middle" class="chart-value">\#(escape(bar.valueLabel))</text>"#
            svg += #"<text x="\#(format(x + slot * 0.3))" y="\#(height - 8)" text-anchor="middle" class="chart-label">\#(escape(truncate(bar.label, 8)))</text>"#
        }
        return svg + "</svg>"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func truncate(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
