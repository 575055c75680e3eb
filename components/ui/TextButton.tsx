import type { ButtonHTMLAttributes } from 'react';
import { cn } from './cn';

/** A button that reads as a link in running text: accent colour, underlined on hover ("Call anyway", "Show more"). */
export function TextButton({ className, type = 'button', ...props }: ButtonHTMLAttributes<HTMLButtonElement>) {
  return <button type={type} className={cn('text-accent hover:underline', className)} {...props} />;
}
