/// Administrative division codes of GB/T 2260 (行政区划代码): six digits, province · city · county.
public enum RegionCode {
    static let provinces: [String: String] = [
        "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区", "21": "辽宁省", "22": "吉林省",
        "23": "黑龙江省", "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省",
        "37": "山东省", "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
        "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区", "61": "陕西省", "62": "甘肃省",
        "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
    ]

    /// The cities and districts of the region the platform ships demo data for (广西: 南宁、柳州、桂林).
    public static let demoDistricts: [String: String] = [
        "450102": "南宁市兴宁区", "450103": "南宁市青秀区", "450105": "南宁市江南区", "450107": "南宁市西乡塘区",
        "450108": "南宁市良庆区", "450109": "南宁市邕宁区", "450110": "南宁市武鸣区",
        "450202": "柳州市城中区", "450203": "柳州市鱼峰区", "450204": "柳州市柳南区", "450205": "柳州市柳北区", "450206": "柳州市柳江区",
        "450302": "桂林市秀峰区", "450303": "桂林市叠彩区", "450304": "桂林市象山区", "450305": "桂林市七星区", "450312": "桂林市临桂区",
    ]
    static let cities: [String: String] = ["4501": "南宁市", "4502": "柳州市", "4503": "桂林市"]

    /// A Chinese message for what is wrong with `code`, or nil when it is a six-digit code of a known province.
    public static func problem(with code: String) -> String? {
        guard code.count == 6, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return "行政区划代码应为 6 位数字（GB/T 2260），如 450103"
        }
        guard provinces[String(code.prefix(2))] != nil else {
            return "行政区划代码“\(code)”的前两位不是省级代码"
        }
        return nil
    }

    /// The best name known for a code: the district, else its city, else its province.
    public static func name(of code: String) -> String {
        demoDistricts[code] ?? cities[String(code.prefix(4))].map { $0 + "（\(code)）" }
            ?? provinces[String(code.prefix(2))].map { $0 + "（\(code)）" } ?? code
    }

    public static func cityName(of code: String) -> String {
        cities[String(code.prefix(4))] ?? provinces[String(code.prefix(2))] ?? code
    }
}
