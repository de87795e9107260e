import { createRoot } from 'react-dom/client';
import 'graphiql/graphiql.css';
import './explorer.css';
import { App } from './app.tsx';

createRoot(document.getElementById('explorer')!).render(<App />);
