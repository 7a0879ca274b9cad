export declare const NARROW_TEXT_SOURCE: string;
