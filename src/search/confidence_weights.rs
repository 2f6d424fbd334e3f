// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -6.7639,
    weights: [
        2.7983, // coverage
        2.4160, // lead
        1.1957, // ln_score
        1.7431, // matched_share
        0.2364, // title
        -0.3422, // head_missing
        0.0228, // head_elsewhere
        -0.9007, // aspect_missing
        -0.1875, // elsewhere_peak
        -0.7171, // unknown_share
        0.1163, // title_coverage
        -1.8805, // single_word
    ],
}
