import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'switchboard:public';

/**
 * Marks a controller or route as callable without an API key: health, metrics, and webhook
 * ingress (which verifies requests its own way). Lives in core so every lib's controllers can use it.
 */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(PUBLIC_ROUTE, true);
