import Foundation

/// One physical line after normalisation.
struct WorkPointLine: Sendable {
    var s: [Unicode.Scalar]
    /// Number of blank lines directly before this line.
    var blankBefore: Int
    /// The line looked like a table-of-contents entry (text followed by a page number).
    var isTOC: Bool
    /// Cells when the line is a tab-separated table row (two or more tabs).
    var cells: [[Unicode.Scalar]]? = nil
}

/// Normalises raw text: unifies punctuation width, converts common traditional characters,
/// drops zero-width characters and splits into trimmed lines. Single linear pass.
enum WorkPointNormalizer {
    /// Traditional → simplified pairs for characters that matter in government documents.
    private static let traditionalPairs: String =
        "牽牵頭头單单責责時时負负長长堅坚續续進进務务見见發发辦办關关門门廳厅區区縣县級级導导參参與与協协會会設设計计劃划實实現现機机構构處处農农業业產产資资質质場场監监衛卫視视環环運运輸输鐵铁銀银險险證证稅税財财經经濟济貿贸開开國国華华態态電电訊讯網网絡络數数據据總总統统規规標标準准體体積积極极應应對对報报鄉乡鎮镇寧宁廣广東东遼辽陝陕蘇苏濱滨灣湾營营優优轉转換换點点線线傳传達达價价額额億亿萬万條条權权審审記记錄录備备項项將将為为們们這这個个齊齐強强領领組组織织隊队層层專专題题議议論论認认識识驗验檢检測测術术藝艺醫医療疗藥药養养護护勞劳動动職职員员補补貼贴費费幣币貸贷擔担聯联歸归輔辅幹干範范於于後后並并從从該该須须屬属況况際际創创檔档紀纪黨党團团廠厂礦矿倉仓儲储郵邮軍军歷历屆届顯显稱称週周歲岁齡龄園园圖图書书館馆戶户號号碼码輕轻違违罰罚執执訴诉訟讼決决斷断貨货銷销購购買买賣卖豐丰糧粮氣气熱热燈灯車车輛辆駕驾駛驶飛飞橋桥樑梁築筑圍围繞绕紮扎內内門门歷历徵征資资審审規规劃划區区縣县廳厅鐵铁衛卫導导啟启動动優优擴扩響响環环節节構构糾纠紛纷訪访採采購购債债務务權权況况療疗險险儀仪這这幫帮辦办屬属復复雜杂舊旧興兴變变質质檢检態态樣样邊边區区館馆陸陆臺台灣湾貫贯徹彻黨党誌志慶庆龍龙鳳凤雲云陽阳漢汉滬沪瀋沈蘭兰烏乌魯鲁齊齐寧宁陝陕貴贵滇滇甘甘閩闽贛赣粵粤瓊琼遼辽吉吉黑黑蒙蒙藏藏疆疆鄂鄂湘湘豫豫魯鲁皖皖浙浙冀冀晉晋渝渝川川"

    /// Bitset over the CJK block marking traditional characters, plus the map itself.
    private static let table: (bits: [UInt64], map: [UInt32: Unicode.Scalar]) = {
        var map: [UInt32: Unicode.Scalar] = [:]
        let sc = Array(traditionalPairs.unicodeScalars)
        var i = 0
        while i + 1 < sc.count {
            if sc[i] != sc[i + 1] { map[sc[i].value] = sc[i + 1] }
            i += 2
        }
        var bits = [UInt64](repeating: 0, count: (0xA000 - 0x4E00) / 64 + 1)
        for k in map.keys where k >= 0x4E00 && k < 0xA000 {
            let o = Int(k - 0x4E00)
            bits[o >> 6] |= (1 << UInt64(o & 63))
        }
        return (bits, map)
    }()

    struct Output {
        var lines: [WorkPointLine]
        var traditionalConverted: Int
    }

    static func normalize(_ text: String) -> Output {
        let tbl = table
        var lines: [WorkPointLine] = []
        lines.reserveCapacity(256)
        var cur: [Unicode.Scalar] = []
        cur.reserveCapacity(256)
        var blank = 0
        var converted = 0
        var prevWasCR = false
        var prev: Unicode.Scalar = " "

        func flush() {
            finishLine(&cur, into: &lines, blank: &blank)
            prev = " "
        }

        let view = text.unicodeScalars
        var it = view.makeIterator()
        var pending: Unicode.Scalar? = nil
        while true {
            let cOpt: Unicode.Scalar?
            if let p = pending { cOpt = p; pending = nil } else { cOpt = it.next() }
            guard var c = cOpt else { break }
            let v = c.value
            if v == 0x0A {
                if prevWasCR { prevWasCR = false; continue }
                flush()
                continue
            }
            prevWasCR = false
            if v == 0x0D || v == 0x2028 || v == 0x2029 || v == 0x85 {
                flush()
                prevWasCR = v == 0x0D
                continue
            }
            if v < 0x20 {
                if v == 0x0B || v == 0x0C { c = " " } else if v != 0x09 { continue }
            } else if v == 0x200B || v == 0x200C || v == 0x200D || v == 0xFEFF || v == 0x00AD {
                continue
            } else if v >= 0x4E00 && v < 0xA000 {
                let o = Int(v - 0x4E00)
                if tbl.bits[o >> 6] & (1 << UInt64(o & 63)) != 0, let m = tbl.map[v] {
                    c = m
                    converted += 1
                }
            } else if v >= 0xFF01 && v <= 0xFF5E {
                // Full-width ASCII variants: keep CJK punctuation forms, fold the rest.
                switch v {
                case 0xFF08, 0xFF09, 0xFF0C, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F, 0xFF3B, 0xFF3D:
                    break // （ ） ， ： ； ！ ？ ［ ］ stay full-width
                default:
                    c = Unicode.Scalar(v - 0xFF01 + 0x21)!
                }
            } else if v == 0x3000 || v == 0xA0 || (v >= 0x2000 && v <= 0x200A) || v == 0x202F || v == 0x205F {
                c = " "
            } else if v == 0x2212 || v == 0x2010 || v == 0x2011 {
                c = "-"
            }
            switch c {
            case "(": c = "（"
            case ")": c = "）"
            case ":":
                // keep "http://" style colons
                if !(prev.value < 0x80 && WorkPointScan.isLetterOrDigit(prev) && !WorkPointScan.isDigit(prev)) { c = "：" }
            case ";": c = "；"
            case ",":
                // keep thousands separators "1,000"
                if !WorkPointScan.isDigit(prev) {
                    c = "，"
                } else {
                    let nx = it.next()
                    pending = nx
                    if let nx, WorkPointScan.isDigit(nx) { c = "," } else { c = "，" }
                }
            default: break
            }
            cur.append(c)
            prev = c
        }
        finishLine(&cur, into: &lines, blank: &blank)
        return Output(lines: lines, traditionalConverted: converted)
    }

    private static func finishLine(_ cur: inout [Unicode.Scalar], into lines: inout [WorkPointLine], blank: inout Int) {
        defer { cur.removeAll(keepingCapacity: true) }
        // tab-separated table rows keep their cells
        var tabs = 0
        for c in cur where c == "\t" { tabs += 1 }
        var cells: [[Unicode.Scalar]]? = nil
        if tabs >= 2 {
            var parts: [[Unicode.Scalar]] = []
            var part: [Unicode.Scalar] = []
            for c in cur {
                if c == "\t" { parts.append(compress(part[...])); part.removeAll() } else { part.append(c) }
            }
            parts.append(compress(part[...]))
            if parts.contains(where: { !$0.isEmpty }) { cells = parts }
        }
        for i in cur.indices where cur[i] == "\t" { cur[i] = " " }
        // trim
        var lo = 0
        var hi = cur.count
        while lo < hi, cur[lo] == " " { lo += 1 }
        while hi > lo, cur[hi - 1] == " " { hi -= 1 }
        if lo == hi {
            blank += 1
            return
        }
        // TOC detection: "... <spaces|leaders> 12"
        var isTOC = false
        var j = hi
        while j > lo, WorkPointScan.isDigit(cur[j - 1]) { j -= 1 }
        if j < hi, hi - j <= 4, j > lo {
            var k = j
            var leaders = 0
            while k > lo, cur[k - 1] == " " || cur[k - 1] == "…" || cur[k - 1] == "." || cur[k - 1] == "·" || cur[k - 1] == "-" {
                if cur[k - 1] == " " { leaders += 1 } else { leaders += 2 }
                k -= 1
            }
            if (leaders >= 1 && (cur[j - 1] != " " || leaders >= 1)) && k > lo && j - k >= 1 && k - lo <= 80 {
                // require a real separator: a tab/space run or leader dots
                if leaders >= 2 || cur[j - 1] == " " {
                    isTOC = true
                }
            }
        }
        let out = compress(cur[lo..<hi])
        lines.append(WorkPointLine(s: out, blankBefore: blank, isTOC: isTOC && cells == nil, cells: cells))
        blank = 0
    }

    /// Trims and removes spaces adjacent to non-ASCII characters (indentation / typesetting spaces).
    static func compress(_ cur: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        var lo = cur.startIndex
        var hi = cur.endIndex
        while lo < hi, cur[lo] == " " { lo += 1 }
        while hi > lo, cur[hi - 1] == " " { hi -= 1 }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(hi - lo)
        var i = lo
        while i < hi {
            let c = cur[i]
            if c == " " {
                var e = i
                while e < hi, cur[e] == " " { e += 1 }
                let before = out.last
                let after = e < hi ? cur[e] : nil
                let keep = (before.map { $0.value < 0x80 } ?? false) && (after.map { $0.value < 0x80 } ?? false)
                if keep { out.append(" ") }
                i = e
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }
}
