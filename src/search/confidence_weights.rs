// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -7.6591,
    weights: [
        2.3060, // coverage
        1.9775, // lead
        1.3104, // ln_score
        1.7243, // matched_share
        0.5337, // title
        -0.5373, // head_missing
        0.1371, // head_elsewhere
        -0.9444, // aspect_missing
        -0.0696, // elsewhere_peak
        -0.3898, // unknown_share
        0.1650, // title_coverage
        -1.1372, // single_word
    ],
}
