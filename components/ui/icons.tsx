// A handful of 16px stroke icons, inline so the app ships no icon font or extra package.
import type { SVGProps } from 'react';

type IconProps = SVGProps<SVGSVGElement>;

function Svg({ children, ...props }: IconProps) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      {...props}
    >
      {children}
    </svg>
  );
}

/** An icon drawn by one stroked path. */
function pathIcon(d: string) {
  return function PathIcon(props: IconProps) {
    return (
      <Svg {...props}>
        <path d={d} />
      </Svg>
    );
  };
}

export const IconSun = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="3" />
    <path d="M8 1.5v1.5M8 13v1.5M1.5 8H3M13 8h1.5M3.4 3.4l1 1M11.6 11.6l1 1M3.4 12.6l1-1M11.6 4.4l1-1" />
  </Svg>
);
export const IconMoon = pathIcon('M13.5 9.5A5.5 5.5 0 0 1 6.5 2.5a5.5 5.5 0 1 0 7 7z');
export const IconMonitor = (p: IconProps) => (
  <Svg {...p}>
    <rect x="1.5" y="2.5" width="13" height="9" rx="1" />
    <path d="M5.5 14h5M8 11.5V14" />
  </Svg>
);
export const IconX = pathIcon('M4 4l8 8M12 4l-8 8');
export const IconPlus = pathIcon('M8 3v10M3 8h10');
export const IconChevronRight = pathIcon('M6 3.5L10.5 8 6 12.5');
export const IconChevronDown = pathIcon('M3.5 6L8 10.5 12.5 6');
export const IconSearch = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="7" cy="7" r="4.5" />
    <path d="M10.5 10.5L14 14" />
  </Svg>
);
export const IconPlay = (p: IconProps) => (
  <Svg {...p}>
    <path d="M5 3.5v9l7-4.5z" fill="currentColor" />
  </Svg>
);
export const IconStop = (p: IconProps) => (
  <Svg {...p}>
    <rect x="4" y="4" width="8" height="8" rx="1" fill="currentColor" />
  </Svg>
);
export const IconDownload = pathIcon('M8 2.5v8M4.5 7L8 10.5 11.5 7M3 13.5h10');
export const IconPlug = pathIcon('M6 1.5v3M10 1.5v3M4 4.5h8v3a4 4 0 0 1-8 0zM8 11.5v3');
export const IconEye = (p: IconProps) => (
  <Svg {...p}>
    <path d="M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8z" />
    <circle cx="8" cy="8" r="2" />
  </Svg>
);
export const IconEyeOff = pathIcon(
  'M2 2l12 12M6.6 6.6a2 2 0 0 0 2.8 2.8M4.2 4.3C2.6 5.5 1.5 8 1.5 8S4 12.5 8 12.5c1.3 0 2.4-.4 3.4-1M7 3.6c.3 0 .7-.1 1-.1 4 0 6.5 4.5 6.5 4.5s-.5 1-1.5 2.1',
);
export const IconCopy = (p: IconProps) => (
  <Svg {...p}>
    <rect x="5" y="5" width="8.5" height="8.5" rx="1" />
    <path d="M3 10.5V3a.5.5 0 0 1 .5-.5H11" />
  </Svg>
);
export const IconCheck = pathIcon('M3 8.5l3 3 7-7');
export const IconAlert = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 1.8l6.5 11.7h-13z" />
    <path d="M8 6.5v3M8 11.5v.01" />
  </Svg>
);
export const IconInfo = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="6.5" />
    <path d="M8 7.5v4M8 5v.01" />
  </Svg>
);
export const IconRefresh = pathIcon('M13.5 8a5.5 5.5 0 1 1-1.6-3.9M13.5 2.5v3h-3');
export const IconArrowUp = pathIcon('M8 13V3M4 7l4-4 4 4');
export const IconArrowDown = pathIcon('M8 3v10M4 9l4 4 4-4');
export const IconWrench = pathIcon(
  'M10 2a3.5 3.5 0 0 0-3.3 4.6L2 11.3 4.7 14l4.7-4.7A3.5 3.5 0 0 0 14 6l-2 2-2-.5-.5-2 2-2A3.5 3.5 0 0 0 10 2z',
);
