// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -7.8205,
    weights: [
        2.5680, // coverage
        1.9439, // lead
        1.2798, // ln_score
        1.6797, // matched_share
        0.5256, // title
        -0.3206, // head_missing
        0.0406, // head_elsewhere
        -0.9468, // aspect_missing
        0.0003, // elsewhere_peak
        -0.7655, // unknown_share
        0.1684, // title_coverage
        -1.1159, // single_word
    ],
}
