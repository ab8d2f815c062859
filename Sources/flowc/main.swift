import Foundation

exit(Flowc.run(Array(CommandLine.arguments.dropFirst()), Terminal()))
