import ArgumentParser
import Foundation
import ImageIO
import Resample

/// `reslab resize`: one resize to a PNG, or a montage comparing sizes × methods.
struct ResizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resize",
        abstract: "Resize an image with one method, or draw a montage comparing sizes and methods.",
        discussion: """
            Methods: \(Filter.names). With antialias (the default) they \
            match Pillow's Image.resize; with --no-antialias (or a method name ending in -noaa) they match \
            OpenCV's cv2.resize. See docs/resampling.md.
            """)

    @Argument(help: "The PNG or JPEG to resize (or use --zone-plate).")
    var input: String?

    @Option(parsing: .unconditional, help: "Use a generated zone plate of this many pixels square instead of an input file.")
    var zonePlate: Int?

    @Option(parsing: .unconditional, help: "Output size, WIDTHxHEIGHT or one number for a square.")
    var size: String?

    @Option(help: "Filter for --size: \(Filter.names).")
    var method: Filter = .bicubic

    @Flag(help: "Resize without antialiasing: the kernel stays at unit scale (point sampling when downscaling), as OpenCV.")
    var noAntialias = false

    @Option(help: "How the aspect ratio is handled: squash, center-crop or letterbox.")
    var geometry: GeometryChoice = .squash

    @Option(parsing: .unconditional, help: "Fraction of the shorter side kept by --geometry center-crop (timm's crop_pct).")
    var cropPct = 0.875

    @Option(name: .customLong("crop-fraction"), help: .hidden)
    var cropFractionAlias: Double?

    @Flag(help: "Decode a large JPEG at 1/2, 1/4 or 1/8 size first (libjpeg DCT scaling, like Pillow's draft); faster, slightly different pixels.")
    var draft = false

    @Option(name: [.short, .long], help: "Where --size writes its PNG.")
    var out: String?

    @Option(name: .customLong("output"), help: .hidden)
    var outputAlias: String?

    private var output: String? { out ?? outputAlias }

    @Option(parsing: .unconditional, help: "Comma-separated square sizes for --montage.")
    var sizes = "8,16,32,64,128"

    @Option(help: "Comma-separated filters for --montage; each is shown with and without antialias unless named with -noaa.")
    var methods = "nearest,bilinear,bicubic"

    @Option(help: "Write a montage PNG (rows: methods, columns: sizes).")
    var montage: String?

    @OptionGroup var pixelLimit: PixelLimitOption

    func validate() throws {
        guard (input == nil) != (zonePlate == nil) else {
            throw ValidationError("Give either an input image or --zone-plate SIZE, not both and not neither.")
        }
        if let zonePlate {
            guard zonePlate > 0 else { throw ValidationError("--zone-plate \(zonePlate) must be a positive size in pixels, e.g. 256.") }
            try checkImageSize(width: zonePlate, height: zonePlate, what: "--zone-plate \(zonePlate)", limit: pixelLimit.value)
        }
        guard (size == nil) != (montage == nil) else {
            throw ValidationError("Give either --size with -o, or --montage; they are two separate modes.")
        }
        if size != nil {
            let (width, height) = try parsedSize()
            try checkImageSize(width: width, height: height, what: "--size \(size ?? "")", limit: pixelLimit.value)
            _ = try parsedGeometry()
            guard output != nil else { throw ValidationError("--size needs -o OUT.png to say where the result goes.") }
        } else {
            try checkMontage(sizes: try montageSizes(), methods: try montageMethods().count, what: "--sizes \(sizes)",
                             limit: pixelLimit.value)
        }
    }

    func run() throws {
        pixelLimit.apply()
        if let path = montage {
            let image = try zonePlate.map { Resample.zonePlate(size: $0) } ?? readImage(atPath: input!)
            let sizes = try montageSizes(), methods = try montageMethods()
            let sheet = Resample.montage(of: image, sizes: sizes, methods: methods)
            try writeOutput(Data(encodePNG(sheet)), to: path)
            print("wrote \(path) (\(sheet.width)×\(sheet.height)): rows \(methods.map(\.description).joined(separator: ", ")); columns \(sizes.map(String.init).joined(separator: ", ")) px")
        } else {
            let (width, height) = try parsedSize()
            let method = ResizeMethod(method, antialias: !noAntialias), geometry = try parsedGeometry()
            let image = try zonePlate.map { Resample.zonePlate(size: $0) } ?? decodeForResize(
                try readBytes(atPath: input!), name: input!, width: width, height: height, geometry: geometry, draft: draft)
            let resized = resize(image, width: width, height: height, method: method, geometry: geometry)
            try writeOutput(Data(encodePNG(resized)), to: output!)
            print("wrote \(output!) (\(width)×\(height), \(method))")
        }
    }

    /// Writes the PNG, saying in words why it cannot be written (not Foundation's error dump).
    private func writeOutput(_ data: Data, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw CommandError(description: "Cannot write \(path): \(String(cString: strerror(errno))); check that its folder exists and is writable.")
        }
    }

    private func parsedSize() throws -> (Int, Int) {
        let parts = (size ?? "").split(separator: "x").compactMap { Int($0) }
        guard (parts.count == 1 || parts.count == 2), parts.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--size \(size ?? "") is not a size; write WIDTHxHEIGHT (e.g. 32x32) or one positive number.")
        }
        return (parts[0], parts.last!)
    }

    private func parsedGeometry() throws -> Geometry {
        switch geometry {
        case .squash: return .squash
        case .letterbox: return .letterbox
        case .centerCrop:
            let fraction = cropFractionAlias ?? cropPct
            try checkCropFraction(fraction, what: "--crop-pct \(fraction)")
            return .centerCrop(fraction)
        }
    }

    private func montageSizes() throws -> [Int] {
        let values = sizes.split(separator: ",").map { Int($0) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--sizes \(sizes) must be comma-separated positive numbers, e.g. 8,16,32.")
        }
        return values.map { $0! }
    }

    private func montageMethods() throws -> [ResizeMethod] {
        try methods.split(separator: ",").flatMap { name -> [ResizeMethod] in
            guard let method = ResizeMethod(name: String(name)) else { throw ValidationError(unknownMethod(String(name))) }
            return name.hasSuffix("-noaa") ? [method] : [method, ResizeMethod(method.filter, antialias: false)]
        }
    }

    private func unknownMethod(_ name: String) -> String {
        "Unknown method \(name); use one of \(Filter.names)."
    }
}

/// `reslab resize --geometry`.
enum GeometryChoice: String, CaseIterable, ExpressibleByArgument {
    case squash, centerCrop = "center-crop", letterbox
}

extension Filter: ExpressibleByArgument {}
