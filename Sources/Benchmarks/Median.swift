/// The middle value (the upper middle of an even count) of a benchmark's figures: the windows'
/// rates, the rounds' paired ratios and speed-ups, the resize rounds.
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
