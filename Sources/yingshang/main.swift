import YingshangServer

try await Yingshang.main()
