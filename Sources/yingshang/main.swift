import Foundation
import YingshangServer

exit(await Yingshang.run())
