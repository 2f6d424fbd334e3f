// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -7.7284,
    weights: [
        2.3760, // coverage
        2.0021, // lead
        1.4057, // ln_score
        1.5098, // matched_share
        0.5637, // title
        -0.6676, // head_missing
        0.1089, // head_elsewhere
        -0.9075, // aspect_missing
        -0.2066, // elsewhere_peak
        -0.3114, // unknown_share
        0.2124, // title_coverage
        -1.1710, // single_word
        -1.1947, // head_partial
        -2.1164, // not_answered
    ],
}
