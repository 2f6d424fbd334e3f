// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -7.7905,
    weights: [
        2.5640, // coverage
        1.9492, // lead
        1.2708, // ln_score
        1.6823, // matched_share
        0.5266, // title
        -0.3067, // head_missing
        0.0230, // head_elsewhere
        -0.9471, // aspect_missing
        0.0116, // elsewhere_peak
        -0.8482, // unknown_share
        0.1700, // title_coverage
        -1.1177, // single_word
    ],
}
