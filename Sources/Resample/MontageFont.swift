/// A 3×5 pixel font (capitals, digits, '-', space) for the montage labels. Each glyph is 5 rows
/// of 3 bits, top row first, leftmost pixel in the highest bit.
private let glyphs: [Character: [UInt8]] = [
    "A": [2, 5, 7, 5, 5], "B": [6, 5, 6, 5, 6], "C": [3, 4, 4, 4, 3], "D": [6, 5, 5, 5, 6],
    "E": [7, 4, 6, 4, 7], "F": [7, 4, 6, 4, 4], "G": [3, 4, 5, 5, 3], "H": [5, 5, 7, 5, 5],
    "I": [7, 2, 2, 2, 7], "J": [1, 1, 1, 5, 2], "K": [5, 5, 6, 5, 5], "L": [4, 4, 4, 4, 7],
    "M": [5, 7, 7, 5, 5], "N": [6, 5, 5, 5, 5], "O": [2, 5, 5, 5, 2], "P": [6, 5, 6, 4, 4],
    "Q": [2, 5, 5, 6, 3], "R": [6, 5, 6, 5, 5], "S": [3, 4, 2, 1, 6], "T": [7, 2, 2, 2, 2],
    "U": [5, 5, 5, 5, 7], "V": [5, 5, 5, 5, 2], "W": [5, 5, 7, 7, 5], "X": [5, 5, 2, 5, 5],
    "Y": [5, 5, 2, 2, 2], "Z": [7, 1, 2, 4, 7],
    "0": [7, 5, 5, 5, 7], "1": [2, 6, 2, 2, 7], "2": [6, 1, 2, 4, 7], "3": [6, 1, 2, 1, 6],
    "4": [5, 5, 7, 1, 1], "5": [7, 4, 6, 1, 6], "6": [3, 4, 7, 5, 7], "7": [7, 1, 2, 2, 2],
    "8": [7, 5, 7, 5, 7], "9": [7, 5, 7, 1, 6], "-": [0, 0, 7, 0, 0], " ": [0, 0, 0, 0, 0],
]

/// Width of `text` drawn at `scale`: 4 · scale pixels per character (3 + 1 spacing).
func textWidth(_ text: String, scale: Int) -> Int { text.count * 4 * scale }

/// Draws `text` (upper-cased; unknown characters as spaces) in black with its top-left corner
/// at (x, y) into an interleaved image of `width` pixels per row, each font pixel a
/// `scale × scale` square. The caller leaves room (`textWidth`, 5 · scale rows).
func drawText(_ text: String, into pixels: inout [UInt8], width: Int, channels: Int, x: Int, y: Int, scale: Int) {
    for (n, character) in text.uppercased().enumerated() {
        let rows = glyphs[character] ?? glyphs[" "]!
        for (row, bits) in rows.enumerated() {
            for column in 0..<3 where bits & (4 >> column) != 0 {
                for dy in 0..<scale {
                    for dx in 0..<scale {
                        let px = x + (4 * n + column) * scale + dx, py = y + row * scale + dy
                        for c in 0..<channels { pixels[(py * width + px) * channels + c] = 0 }
                    }
                }
            }
        }
    }
}
