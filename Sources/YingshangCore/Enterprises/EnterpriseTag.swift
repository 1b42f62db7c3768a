/// The qualifications and tags an enterprise file may carry (资质与标签), a fixed list so that rules and files spell
/// them the same way. Each holding has validity dates in the file.
public enum EnterpriseTag {
    public static let catalogue: [String] = [
        "高新技术企业", "专精特新", "专精特新小巨人", "科技型中小企业", "创新型中小企业", "个体工商户", "小规模纳税人",
        "一般纳税人", "技术先进型服务企业", "软件企业", "集成电路企业", "农业产业化龙头企业", "外贸企业", "外商投资企业",
        "民营企业", "国有企业", "上市公司", "重点排污单位", "失信被执行人", "重大税收违法失信主体", "首次进入规模以上",
        "规模以上工业企业", "限额以上批零住餐企业", "招用重点群体",
    ]

    /// A Chinese message when `tag` is not in the catalogue.
    public static func problem(with tag: String) -> String? {
        catalogue.contains(tag) ? nil : "未知的资质标签“\(tag)”。可用标签：\(catalogue.joined(separator: "、"))"
    }
}
