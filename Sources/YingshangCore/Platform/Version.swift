/// The platform's release version, shown on the "about" page and in `/healthz`.
public enum YingshangVersion {
    public static let current = "0.1.0"
}
